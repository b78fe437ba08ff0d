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

# Round two (issue 8), written before any tuning of the similarity for it: a title, and the works a
# film buff would expect among its ten most similar (same creator, same cast, same tone, any
# platform). One entry is one work; "a|b" lists its copies on several platforms (any one counts),
# so the cases mean the same before and after copies are linked into works. An entry counts as
# "on another platform" when none of its ids is on the seed id's platform (its first letter).
SIMILAR_CASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # sitcoms
    ("tone", "ns6807", ("as2175|hs2690", "ns3928", "ns8443", "hs358", "ns7710")),  # Friends -> HIMYM, New Girl, ...
    ("tone", "ns8443", ("ns7710", "hs358", "as504|hs3035", "ns1950")),  # The Office (U.S.) -> Parks, B99, UK Office
    ("creator", "ns7710", ("ns8443", "hs358", "ns1950")),  # Parks and Recreation -> Michael Schur's shows
    ("creator", "ns1950", ("ns7710", "hs358", "ns8443")),  # The Good Place -> the same
    ("tone", "as2175", ("ns6807", "ns3928")),  # How I Met Your Mother -> Friends, New Girl
    ("creator", "ns1044", ("ns5708", "as543", "hs2583")),  # Gilmore Girls -> A Year in the Life, Maisel, Bunheads
    ("creator", "as543", ("ns1044", "hs2583")),  # The Marvelous Mrs. Maisel -> Amy Sherman-Palladino's
    ("creator", "as2463", ("ns5445", "hs1223")),  # Fleabag -> Crashing, Killing Eve (Phoebe Waller-Bridge)
    ("creator", "hs1223", ("as2463",)),  # Killing Eve -> Fleabag
    # period drama
    ("tone", "ns1699", ("as2615|ns790", "ns607", "ns8540", "as1287", "ns1999")),  # The Crown -> Downton, The Queen
    ("tone", "ns790", ("ns1699", "as1287", "ns1999")),  # Downton Abbey -> The Crown, Poldark, Call the Midwife
    ("cast", "ns607", ("ns1699",)),  # The Queen -> The Crown
    ("tone", "ns1493", ("hs2801", "as1287", "as2615|ns790", "ns1378")),  # Bridgerton -> Pride and Prejudice, ...
    ("tone", "ns1378", ("as1287", "ns2629", "as186|hs1698")),  # Outlander -> Poldark, Last Kingdom, Vikings
    ("tone", "ns2629", ("as186|hs1698", "ns3118")),  # The Last Kingdom -> Vikings, The Witcher
    # crime
    ("cast", "ns5941", ("ns2932", "ns3429", "ns2768", "ns5306")),  # Breaking Bad -> Better Call Saul, El Camino
    ("cast", "ns2932", ("ns5941", "ns3429")),  # Better Call Saul -> Breaking Bad, El Camino
    ("franchise", "ns5306", ("ns2922", "ns4751")),  # Narcos -> Narcos: Mexico, El Chapo
    ("creator", "ns3582", ("ns8803", "ns4173")),  # Mindhunter -> Zodiac, Ted Bundy Tapes
    ("tone", "ns4495", ("ns4173",)),  # Making a Murderer -> Conversations with a Killer
    ("franchise", "as310", ("as9176", "as4710")),  # Jack Ryan -> Shadow Recruit, Without Remorse
    # science fiction and fantasy
    ("tone", "ns3686", ("ns2328", "ns2191", "hs2021")),  # Stranger Things -> Dark, Umbrella Academy, Castle Rock
    ("tone", "ns2328", ("ns3686", "ns3775")),  # Dark -> Stranger Things, Black Mirror
    ("tone", "ns3775", ("ns4254", "as213")),  # Black Mirror -> Bandersnatch, Upload
    ("tone", "hs764", ("as547", "ns3775")),  # The Handmaid's Tale -> Man in the High Castle, Black Mirror
    ("tone", "as547", ("hs764", "as2164")),  # The Man in the High Castle -> Handmaid's Tale, Hunters
    ("tone", "as731", ("as2091", "ns2191")),  # The Boys -> Invincible, The Umbrella Academy
    ("tone", "ns3118", ("ns241", "ns2629", "as2909")),  # The Witcher -> Nightmare of the Wolf, Carnival Row
    ("tone", "ns8003", ("hs2079", "ns8004")),  # Sherlock -> Elementary, Sherlock Holmes (2009)
    # animated series
    ("tone", "ns3370", ("ns1591", "hs1259", "hs331")),  # BoJack Horseman -> Big Mouth, Rick and Morty, Archer
    ("tone", "ds93", ("hs2613", "hs175", "hs174", "hs2363")),  # The Simpsons (Disney+) -> Futurama, Family Guy, ...
    ("tone", "hs174", ("ds93|hs179", "hs175", "hs164", "hs2363")),  # Bob's Burgers -> Simpsons, Family Guy, ...
    ("franchise", "ns2520", ("ns2136",)),  # Avatar: The Last Airbender -> The Legend of Korra
    ("franchise", "ns2136", ("ns2520|as3191",)),  # The Legend of Korra -> Avatar: The Last Airbender
    # anime and Korean
    ("franchise", "ns3542", ("hs2818", "ns60", "ns64")),  # Naruto -> Shippuden, the films
    ("tone", "ns779", ("ns5752|hs2915", "ns3542")),  # Attack on Titan -> Death Note, Naruto
    ("franchise", "ns5752", ("ns5319", "ns779|hs1127")),  # DEATH NOTE -> Death Note (2017), Attack on Titan
    ("tone", "ns34", ("ns1563", "ns2822")),  # Squid Game -> Alice in Borderland, Kingdom
    ("tone", "ns2822", ("ns8614",)),  # Kingdom -> Train to Busan
    ("tone", "ns3130", ("ns2350", "ns687", "ns3072")),  # Crash Landing on You -> other K-dramas
    # documentaries and reality
    ("creator", "ns3939", ("ns7748", "ns7749", "ns2984", "ns3574")),  # Our Planet -> Planet Earth, Night on Earth
    ("franchise", "ns9", ("ns56", "ns1597", "ns4462")),  # The Great British Baking Show -> Nailed It, Holidays
    ("franchise", "ns2423", ("ns3343",)),  # Queer Eye -> We're in Japan!
    # animated films
    ("tone", "ds904", ("ds1089", "ds1231", "ds1429", "ds751", "ds205")),  # Frozen -> Moana, Tangled, Zootopia
    ("tone", "ds1089", ("ds904", "ds1231", "ds205")),  # Moana -> Frozen, Tangled, Raya
    ("tone", "ds1231", ("ds904", "ds1089", "ds761")),  # Tangled -> Frozen, Moana, Brave
    ("tone", "ds700", ("ds962", "ds1398", "ds1153")),  # Coco -> Inside Out, Up, Ratatouille
    ("creator", "ds962", ("ds1398", "ds700", "ds1402", "ds1092")),  # Inside Out -> Up, Coco, WALL-E, Monsters
    ("creator", "ds719", ("ds645", "ds721", "ds720", "ds1298", "ds1089")),  # Aladdin (1992) -> remake, sequels
    ("franchise", "ds1298", ("ds1299", "ds1300", "ds719")),  # The Little Mermaid -> sequels, Aladdin
    ("franchise", "ds941", ("ds942", "ds943", "ds944")),  # High School Musical -> 2, 3, the series
    ("franchise", "ns574", ("ns575", "ns7242", "ns5858", "as1919")),  # Kung Fu Panda -> 2, specials, series
    ("franchise", "ns2011", ("hs1969", "hs1970")),  # How to Train Your Dragon 2 -> Homecoming, Snoggletog Log
    ("franchise", "ns2583", ("ns936", "hs378")),  # Madagascar 2 -> Madagascar 3, A Little Wild
    # Marvel and Star Wars, split between Netflix and Disney+
    ("franchise", "ns6326", ("ds492|ns6201", "ds1040", "ds1039")),  # Black Panther -> the Avengers films
    ("franchise", "ns8581", ("ds492|ns6201", "ds1040", "ds202")),  # Thor: Ragnarok -> Avengers, Loki
    ("franchise", "ds1040", ("ds492|ns6201", "ds1039", "ns6326", "ns8581")),  # Endgame -> Infinity War, ...
    ("franchise", "ns8083", ("ds1218", "ds531", "ds1212")),  # The Last Jedi (Netflix) -> the other episodes
    ("franchise", "ds378", ("ds619", "ds1210", "ds1171")),  # The Mandalorian -> Clone Wars, Rebels, Rogue One
    ("franchise", "ds316", ("ds279", "ds202")),  # WandaVision -> Falcon and the Winter Soldier, Loki
    # same director, across platforms
    ("director", "as2100", ("ns2678", "ns4386", "ns6058", "as9119")),  # Inside Llewyn Davis -> the Coens
    ("director", "ds523", ("ds314", "as9068")),  # Fantastic Mr. Fox -> Isle of Dogs, Life Aquatic
    ("director", "as8596", ("ns3069", "ns1028", "ns6958")),  # The Devil's Backbone -> del Toro
    ("director", "ns2394", ("as8320|ns140", "as4677", "ns7959")),  # Da 5 Bloods -> Spike Lee
    ("director", "ns5416", ("ns556", "hs1739")),  # Okja -> Snowpiercer, Parasite
    ("director", "ns8803", ("ns7702", "ns601", "ns8321|as6297", "ns3582")),  # Zodiac -> Fincher
    ("director", "as9376", ("ns132",)),  # Prometheus -> Blade Runner
    ("franchise", "ns7880", ("ns7881", "ns7882", "ns7883", "ns7884")),  # Rocky -> II..V
    ("franchise", "hs140", ("hs141", "hs142", "hs143")),  # The Hunger Games -> the sequels
    ("cast", "ns1359", ("ns341", "ns8273")),  # Shutter Island -> Inception, The Departed
    ("cast", "ns341", ("ns1359", "ns8273")),  # Inception -> Shutter Island, The Departed
    ("director", "ns6032", ("ns7333", "as7632")),  # A Clockwork Orange -> Lolita, Fear and Desire
)

# Held out (issue 8, third stop), written and committed before the similarity's weights were tuned again on
# the two rounds above, without looking at the recommender's output: a film buff's expectations across the
# four platforms. Never used for tuning; `python -m bench evaluate` reports recall@10 on them beside the rest.
SIMILAR_HELD_OUT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("franchise", "ns4496", ("ns3753", "ns4822", "ns4656", "ns5322", "ns4179")),  # Daredevil -> the Defenders' shows
    ("tone", "hs331", ("hs174", "ns3370", "hs1259", "hs175")),  # Archer -> Bob's Burgers, BoJack, Rick and Morty, ...
    ("creator", "hs164", ("hs175", "hs2707", "hs179|ds93")),  # American Dad! -> MacFarlane's, Simpsons
    ("tone", "hs2363", ("hs174", "hs179|ds93", "hs164")),  # King of the Hill -> Bob's Burgers, Simpsons, ...
    ("franchise", "ds1021", ("ds1022", "ds1223", "ds1015")),  # Lilo & Stitch -> the Stitch sequels
    ("franchise", "ds365", ("ds366", "ds367")),  # Home Alone -> Home Alone 2, 3
    ("cast", "ns4218", ("ns4553", "ns4552")),  # Holy Grail -> Life of Brian, Flying Circus
    ("director", "ns6881", ("ns3228", "ns7432", "ns8273")),  # GoodFellas -> Scorsese
    ("franchise", "ns1449", ("ns602", "ns603", "ns604")),  # Cobra Kai -> The Karate Kid I, II, III
    ("tone", "hs358", ("ns7710", "ns8443", "ns1950", "ns3928")),  # Brooklyn Nine-Nine -> Parks, The Office, ...
    ("franchise", "ns7810", ("ns6428|as9560", "hs730")),  # Quantum of Solace -> Casino Royale, Skyfall
    ("franchise", "ds1048", ("ds1049", "ds1050", "ds1051")),  # Iron Man -> Iron Man 2, 3, The Avengers
    ("franchise", "ds1042", ("ds1043", "ds1041", "ds1051")),  # Captain America 1 -> 2, 3, The Avengers
    ("franchise", "ds1212", ("ds1217", "ds1215")),  # A New Hope -> Episodes V, VI
    ("franchise", "ns452", ("ns451", "ns450", "ns448", "ns449")),  # Twilight -> its sequels
    ("franchise", "ds619", ("ds1210", "ds234", "ds378")),  # The Clone Wars -> Rebels, Bad Batch, Mandalorian
    ("franchise", "ds202", ("ds316", "ds279")),  # Loki -> WandaVision, Falcon and Winter Soldier
    ("creator", "hs135", ("ns549", "ns3109")),  # Station 19 -> Grey's Anatomy, Private Practice
    ("tone", "ns3928", ("hs2839|ns796", "hs2630", "ns6807", "as2175|hs2690")),  # New Girl -> Happy Endings, Mindy, ...
    ("tone", "hs2801", ("hs2958", "as2615|ns790", "as1287")),  # Pride and Prejudice -> Austen, Downton
    ("tone", "hs995", ("hs1339", "hs2587", "hs3047|ns4846")),  # Modern Family -> Black-ish, Malcolm, ...
    ("tone", "hs1785", ("hs2766", "hs1094", "hs3047|ns4846")),  # Always Sunny -> Workaholics, Letterkenny, ...
)
