"""Famous-title queries (issue 8, item 2), written before any tuning of `core.search` for them.

Each case is what a film buff would type and the work meant, checked by hand in the raw CSVs of
../shared/data/raw (ids: platform letter + show_id). A case lists every id that counts as right (the
copies of one work). ABSENT cases name a work on none of the four services: the right answer is to
say so, not a card for another title. PLATFORM_CASES add the user's `/platforms` choice.
"""
from __future__ import annotations

ABSENT: tuple[str, ...] = ()

FAMOUS_CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # sequel numbers and Roman numerals decide
    ("iron man", ("ds1048",)),  # Marvel Studios' Iron Man (2008), not the 1994 cartoon series
    ("iron man 2", ("ds1049",)),
    ("iron man 3", ("ds1050",)),
    ("home alone", ("ds365",)),
    ("home alone 2", ("ds366",)),  # Home Alone 2: Lost in New York, not Home Alone 3
    ("home alone 3", ("ds367",)),
    ("star wars episode v", ("ds1217",)),  # The Empire Strikes Back (Episode V)
    ("star wars episode 4", ("ds1212",)),
    ("star wars episode i", ("ds1219",)),
    ("star wars episode viii", ("ds676", "ns8083")),
    ("star wars episode ix", ("ds531",)),
    ("guardians of the galaxy", ("ds1046",)),
    ("guardians of the galaxy 2", ("ds1047",)),  # not the animated series
    ("guardians of the galaxy vol. 2", ("ds1047",)),
    ("the karate kid part ii", ("ns603",)),
    ("karate kid part 3", ("ns604",)),
    ("the karate kid", ("ns602",)),
    ("mockingjay part 2", ("hs143",)),
    ("hunger games mockingjay part 1", ("hs142",)),
    ("atlas shrugged part ii", ("as3200", "ns1514")),
    ("toy story", ("ds1378",)),
    ("toy story 2", ("ds1379",)),
    ("toy story 4", ("ds627",)),
    ("cars", ("ds777",)),
    ("cars 3", ("ds779",)),
    ("jaws", ("ns42",)),
    ("jaws 2", ("ns43",)),
    ("spider-man 2", ("hs1634",)),
    ("scream 2", ("ns7962",)),
    ("bambi ii", ("ds740",)),
    ("bambi 2", ("ds740",)),
    ("cinderella ii", ("ds794",)),
    ("cinderella 3", ("ds795",)),
    ("mulan 2", ("ds1097",)),
    ("the little mermaid ii", ("ds1299",)),
    ("pocahontas 2", ("ds1143",)),
    ("halloweentown 2", ("ds929",)),
    ("shrek 2", ("hs837",)),
    ("die hard 2", ("as9458",)),
    ("the lion king 2", ("ds1297",)),
    ("frozen ii", ("ds605",)),
    # studio prefixes ("Marvel Studios'", "Marvel's") don't count against a match
    ("avengers infinity war", ("ds492", "ns6201")),
    ("avengers endgame", ("ds1040",)),
    ("the avengers", ("ds1051",)),
    ("black panther", ("ds610", "ns6326")),
    ("ant-man", ("ds1038",)),
    ("ant man and the wasp", ("ds433", "ns6172")),
    ("thor", ("ds1052",)),
    ("thor the dark world", ("ds1053",)),
    ("captain america civil war", ("ds1041",)),
    # an exact title beats a longer one containing it (and "the" is part of an exact title)
    ("the queen", ("ns607",)),  # The Queen (2006), not Queen (2014)
    ("queen", ("ns2288",)),
    ("soul", ("ds330",)),  # Pixar's Soul, not The Soul
    ("the soul", ("ns1067",)),
    ("annie", ("ds730",)),
    ("frozen", ("ds904",)),
    ("the matrix", ("ns8415",)),
    ("rocky", ("ns7880",)),
    ("up", ("ds1398",)),
    ("coco", ("ds700",)),
    ("sherlock", ("ns8003",)),
    ("narcos", ("ns5306",)),
    ("die hard", ("as9217",)),
    ("bruce lee", ("as7418",)),  # the 2017 film "Bruce Lee"; the person (Enter the Dragon) gets a button
    # a feature (or the main series) beats its shorts, extras, making-of and spin-off series
    ("star wars rebels", ("ds1210",)),
    ("lego star wars all stars", ("ds1002",)),
    ("the incredibles", ("ds1291",)),
    ("shrek", ("hs1080",)),
    ("frozen 2", ("ds605",)),
    # on none of the four services: the answer is "not on these services"
    ("shawshank", ABSENT),
    ("the shawshank redemption", ABSENT),
    ("the godfather", ABSENT),
    ("the godfather part ii", ABSENT),
    ("the dark knight", ABSENT),
    ("titanic", ABSENT),
    ("forrest gump", ABSENT),
    ("casablanca", ABSENT),
    ("citizen kane", ABSENT),
    ("gladiator", ABSENT),
    ("jurassic park", ABSENT),
    ("back to the future", ABSENT),
    ("fight club", ABSENT),
    ("interstellar", ABSENT),
    ("the lord of the rings the fellowship of the ring", ABSENT),
    ("harry potter", ABSENT),
    ("game of thrones", ABSENT),
    ("the sopranos", ABSENT),
    ("the silence of the lambs", ABSENT),
    ("apocalypse now", ABSENT),
    ("terminator 2", ABSENT),  # Terminator 3 and Dark Fate are on the services, 2 is not
)

# (query, the user's /platforms, ids that count as right)
PLATFORM_CASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("the office", ("netflix",), ("ns8443",)),  # The Office (U.S.)
    ("the office", ("hulu",), ("hs3035",)),  # The Office (U.K.)
    ("the office", ("amazon",), ("as504",)),
)
