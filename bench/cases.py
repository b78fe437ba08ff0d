"""Hand-written evaluation cases for title search and the recommender (full catalog ids).

RESOLVER_CASES were written (query as a person would type it, and the work meant) before any
tuning of `core.search`; RESOLVER_HELD_OUT were written after tuning, to check it did not overfit.
A case lists every id that counts as right (copies of one work, or a title that exists twice).
RECOMMENDER_CASES: a title, and the titles a person would expect among its ten most similar.
"""
from __future__ import annotations

RESOLVER_CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ('matrx', ('ns8415',)),
    ('pirates caribean black pearl', ('ds1134',)),
    ('rick & morty', ('hs1259',)),
    ('THE IRISHMAN', ('ns3228',)),
    ('monsters inc', ('ds1092',)),
    ('stranger thigns', ('ns3686',)),
    ('the crown', ('ns1699',)),
    ('breaking bad', ('ns5941',)),
    ('narcos mexico', ('ns2922',)),
    ('toy story 3', ('ds1380',)),
    ('the mandalorian', ('ds378',)),
    ('handmaids tale', ('hs764',)),
    ('black mirror', ('ns3775',)),
    ('the office us', ('ns8443',)),
    ('avatar disney', ('ds736',)),
    ('finding nemo', ('ds890',)),
    ('lion king 2019', ('ds632',)),
    ('lord of the rings two towers', ('ns8406',)),
    ('wall e', ('ds1402',)),
    ('up disney', ('ds1398',)),
    ('the witcher', ('ns3118',)),
    ('queens gambit', ('ns1805',)),
    ('bird box', ('ns4269',)),
    ('the social network', ('ns8512', 'as8237')),
    ('inception', ('ns341',)),
    ('schindlers list', ('ns7958',)),
    ('good will huntin', ('hs1252',)),
    ('ozark', ('ns2768',)),
    ('peaky blinder', ('ns3453',)),
    ('marvelous mrs maisel', ('as543',)),
    ('jack ryan', ('as310',)),
    ('the boys amazon', ('as731',)),
    ('futurama', ('hs2613',)),
    ('family guy', ('hs175',)),
    ('frozen 2', ('ds605',)),
    ('spider man into the spiderverse', ('ns8069',)),
    ('The Matrix Reloded', ('ns8416',)),
    ('grays anatomy', ('ns549',)),
    ('how i met ur mother', ('hs2690', 'as2175')),
    ('kill bil vol 2', ('ns7199',)),
    ('the simpsons', ('ds93', 'hs179')),
    ('hamilton', ('ds482',)),
    ('ratatoullie', ('ds1153',)),
    ('beauty and the beast 2017', ('ds424',)),
    ('moana', ('ds1089',)),
    ('fleabag', ('as2463',)),
    ('midsommar', ('as5150',)),
    ('shameless us', ('ns2204',)),
    ('avatar last airbender netflix', ('ns2520',)),
    ('ns8415', ('ns8415',)),
    ('the matrix', ('ns8415',)),
)

RESOLVER_HELD_OUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ('el camino breaking bad', ('ns3429',)),
    ('bandersnatch', ('ns4254',)),
    ('the walking dead', ('ns391',)),
    ('parasite', ('hs1739',)),
    ('la la land', ('hs245',)),
    ('shrek 2', ('hs837',)),
    ('coco', ('ds700',)),
    ('kill bill 1', ('ns7198',)),
    ('pulp fiction', ('ns7803',)),
    ('lord of rings return of king', ('ns8405',)),
    ('avatar 2009', ('ds736',)),
    ('frozen', ('ds904',)),
    ('matrix revolutions', ('ns8417',)),
    ('good place', ('ns1950',)),
    ('atlanta hulu', ('hs1773',)),
    ('shameless uk', ('hs2990',)),
    ('frozen fever', ('ds22',)),
    ('the irishmen', ('ns3228',)),
    ('greys anatomy', ('ns549',)),
    ('simbas pride', ('ds1297',)),
    ('glitch in the matrix', ('hs647',)),
    ('batman killing joke', ('ns1846',)),
    ('money heist phenomenon', ('ns2712',)),
    ('how i met your mother 2005', ('hs2690',)),
    ('how i met your mother amazon', ('as2175',)),
    ('toy stroy 3', ('ds1380',)),
    ('mandalorain', ('ds378',)),
)

# (kind, title id, expected similar ids)
RECOMMENDER_CASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # sequels and franchises
    ("franchise", "ns8415", ("ns8416", "ns8417")),  # The Matrix -> Reloaded, Revolutions
    ("franchise", "ds1380", ("ds1378", "ds1379", "ds627")),  # Toy Story 3 -> 1, 2, 4
    ("franchise", "ns7198", ("ns7199",)),  # Kill Bill 1 -> 2
    ("franchise", "ds890", ("ds889",)),  # Finding Nemo -> Finding Dory
    ("franchise", "ds904", ("ds605", "ds22")),  # Frozen -> Frozen 2, Frozen Fever
    ("franchise", "hs1080", ("hs837",)),  # Shrek -> Shrek 2
    ("franchise", "ns8406", ("ns8405",)),  # The Two Towers -> The Return of the King
    ("franchise", "ds1134", ("ds1133", "ds1132", "ds111", "ds462")),  # Pirates of the Caribbean
    ("franchise", "ds1092", ("ds1091",)),  # Monsters, Inc. -> Monsters University
    ("franchise", "ns5306", ("ns2922",)),  # Narcos -> Narcos: Mexico
    ("franchise", "ns5941", ("ns3429",)),  # Breaking Bad -> El Camino
    ("franchise", "ns3118", ("ns241",)),  # The Witcher -> Nightmare of the Wolf
    ("franchise", "ds1291", ("ds455",)),  # The Incredibles -> Incredibles 2
    ("franchise", "ds778", ("ds779",)),  # Cars 2 -> Cars 3
    ("franchise", "ds1218", ("ds676", "ds1219")),  # The Force Awakens -> The Last Jedi, Phantom Menace
    ("franchise", "ns7073", ("ns7072", "ns7074", "ns7071")),  # Raiders -> the other Indiana Jones
    # same director
    ("director", "ns3228", ("ns6827", "ns6881", "ns8273", "ns7821", "ns7432", "ns1359")),  # The Irishman -> Scorsese
    ("director", "ns7803", ("ns7114", "ns393", "ns7078", "ns5204", "ns7198", "ns7199")),  # Pulp Fiction -> Tarantino
    ("director", "ns7958", ("ns7309", "ns8697", "ns330")),  # Schindler's List -> Lincoln, War Horse, Catch Me…
    ("director", "ds314", ("ds523", "as9068")),  # Isle of Dogs -> Fantastic Mr. Fox, Life Aquatic
    # same kind of show
    ("kind", "hs175", ("hs164", "hs179", "hs2363", "hs174", "hs2613")),  # Family Guy -> adult animated sitcoms
    ("kind", "hs2613", ("hs175", "hs164", "hs179", "hs1259")),  # Futurama -> the same
    ("kind", "ns2768", ("ns5306", "ns2922", "ns5941")),  # Ozark -> Narcos, Breaking Bad
    ("kind", "hs1259", ("ns3370", "ns1591", "hs331", "hs175")),  # Rick and Morty -> BoJack, Big Mouth, Archer
)
