"""Word lists the script supervisor reads action lines with: verbs that change a state.

A script supervisor tracks what changes on the page: who leaves and comes back, what breaks,
who hands what to whom, what a character puts on or takes off, who bleeds or gets soaked.
Screenplays are written in the present tense, so the lists hold third-person present forms,
the `-ing` form and the participles writers use for states ("the vase lies shattered").
These are plain English vocabularies, never phrases lifted from one script; extend a list
where a real script shows a gap.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """Build a frozen word set from a whitespace-separated string."""
    return frozenset(text.split())


def alternation(words: frozenset[str] | list[str]) -> str:
    """Build a regex alternation, longest first, so `re-enters` wins over `enters`."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# --- clause structure ------------------------------------------------------------------

# Words that open a clause without being its subject ("Then she leaves", "Suddenly, Tom ...").
CLAUSE_OPENERS = _words(
    """
    and then but so or yet now suddenly slowly quickly finally still just also again instead
    meanwhile soon eventually abruptly silently quietly carefully gently calmly immediately
    instantly together alone once later only even too simply moments seconds minutes hours
    """
)
DETERMINERS = _words(
    "the a an this that these those some any its their his her my your our another every each no"
)
SUBJECT_PRONOUNS = _words("he she they")
OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "himself": "he", "herself": "she"}
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they"}
# Words that make what follows hypothetical, attempted or denied: no state changes.
NEGATORS = _words(
    """
    not n't never no without almost nearly barely pretends pretending tries trying attempts
    attempting fails failing about refuses refusing wants wanting wishes threatens threatening
    if unless would could might should may can cannot can't won't doesn't don't didn't isn't
    aren't wasn't weren't hasn't haven't neither nor ready going longer imagines imagining
    dreams dreaming considers considering hesitates whether
    """
)
# Clauses that speak of the past or of someone's account are not what happens now.
PAST_MARKERS = _words("had has have earlier before previously already yesterday once")

# Separators of clauses inside a sentence.
CLAUSE_SPLIT = re.compile(
    r"\s*;\s*|\s+[-–—]{1,2}\s+|\s*[—–]\s*|,\s*(?:and\s+then|and|then|but|while|as|before|after|until|so)\s+"
    r"|\s+(?:and\s+then|then|but|while|as|before|until|whereupon)\s+|,\s*"
)
SENTENCE_SPLIT = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<=[.!?])[\"”’']?\s+|\n+")

# --- presence --------------------------------------------------------------------------

MOTION_VERBS = _words(
    """
    walks storms goes heads hurries runs rushes marches steps strides stalks slips stomps sweeps
    wanders limps staggers stumbles backs creeps sneaks dashes bolts flees races shuffles drifts
    darts files barges breezes hobbles trudges saunters struts scurries scrambles bursts
    charges sprints jogs crawls tiptoes glides sails strolls moves edges climbs drives rides
    cycles speeds roars screeches
    """
)
# "X walks out", "X storms off", "X drives away": the character leaves the scene.
EXIT_PARTICLES = _words("out off away outside")
EXIT_VERBS = _words("exits departs disappears vanishes flees escapes")
# "leaves" is an exit unless something is left behind ("leaves the key on the desk").
PLACE_NOUNS = _words(
    """
    room house home office kitchen building apartment flat bar pub restaurant diner cafe café
    shop store church hall station party table bedroom bathroom lounge lobby ward hospital
    school classroom studio garage barn shed cabin lighthouse car van truck boat ship court
    courtroom club stage yard garden porch roof hotel motel library gym precinct warehouse
    cellar basement attic booth tent camp scene stairs stairwell corridor hallway landing
    building premises
    """
)
LEAVES_EXIT_FOLLOWERS = _words(
    """
    without for through with quickly hurriedly abruptly again too first then now together at
    in silently quietly angrily alone briskly slowly
    """
)
ENTRANCE_VERBS = _words(
    "enters re-enters reenters returns reappears arrives emerges rejoins joins materialises materializes"
)
ENTRANCE_PARTICLES = _words("in inside into back")
# "X is back", "X comes back", "X appears in the doorway".
ENTRANCE_PHRASES = re.compile(
    r"\b(?:is|are)\s+back\b|\bcomes?\s+(?:back|in|through|around|round|up|down|over)\b"
    r"|\b(?:she|he|they|it)['’](?:s|re)\s+back\b|\bcome\s+back\b|\bappears?\b|\bpops?\s+(?:in|back|up)\b|\bpokes?\s+\w+\s+head\s+in\b"
    r"|\b(?:in|at|through)\s+the\s+(?:doorway|door|window|threshold)\b|\bis\s+there\b"
    r"|\b(?:stands?|waits?|waiting|standing)\s+(?:in|at|by)\s+the\s+(?:door|doorway|threshold|entrance)\b"
)
# "the door closes behind her": the pronoun's owner has left.
DOOR_BEHIND = re.compile(r"\bdoor\s+(?:closes|shuts|slams|swings\s+shut|clicks\s+shut)\s+behind\s+(him|her|them)\b")
DEATH_SUBJECT = re.compile(
    r"\b(?:dies|is\s+dead|lies\s+dead|falls\s+dead|drops\s+dead|slumps\s+dead|is\s+killed|"
    r"breathes\s+(?:his|her|their)\s+last|stops\s+breathing|is\s+shot\s+dead|dead\s+on\s+the\s+floor)\b"
)
DEATH_OBJECT_VERBS = _words("kills murders strangles executes smothers drowns slaughters")
NOT_DEATH = re.compile(r"\b(?:plays|playing|pretends?|pretending|feigns?|feigning|fakes?|faking|"
                       r"looks|seems|half|nearly|almost|as\s+good\s+as|dead\s+(?:tired|serious|still|silent|quiet|drunk|asleep|centre|center|ahead|eyes|end|weight|ringer))\b")
# Voice-only ways to speak: a character heard but not seen is not "in" the scene.
REMOTE_EXTENSIONS = _words(
    "v.o. vo v.o o.s. os o.s o.c. oc o.c off off-screen offscreen filtered phone radio "
    "on-phone tv intercom pre-lap prelap recorded recording voicemail speaker speakerphone "
    "over-phone radioed through-door"
)
# A parenthetical that opens like this puts the speaker out of sight ("(from the hallway)").
REMOTE_PAREN = re.compile(
    r"(?:off|o\.?s\.?|o\.?c\.?|v\.?o\.?|offscreen|off-screen|from\b|"
    r"(?:calling|shouting|yelling|screaming|muffled|faint|distant)\s+(?:from|through|out\s+from|behind)\b|"
    r"(?:on|over|through)\s+(?:the\s+)?(?:phone|radio|speaker|speakerphone|intercom|line|door|wall|walkie)|"
    r"filtered|recorded|voicemail|unseen|outside|upstairs|downstairs|through\s+the\s+\w+|behind\s+the\s+\w+)",
    re.I,
)
# Action clauses that say a character is heard, not seen.
HEARD_ONLY = re.compile(r"\b(?:voice|voices|calls?\s+(?:out\s+)?from|shouts?\s+from|yells?\s+from|is\s+heard|heard|"
                        r"o\.s\.|off-screen|offscreen|on\s+the\s+(?:phone|screen|tv|monitor|line))\b")
INTERCUT = re.compile(r"\bINTER-?CUT\b", re.I)
SIMULTANEOUS = re.compile(r"\b(?:SAME\s+TIME|AT\s+THE\s+SAME\s+TIME|SIMULTANEOUS(?:LY)?|MEANWHILE)\b", re.I)
# Things a person in a scene can be "represented" by without being there.
ABSENT_FORMS = re.compile(r"\b(?:photo|photograph|picture|portrait|poster|grave|ghost|memory|dream|voice|"
                          r"name|message|letter|text|voicemail|video|recording|footage|image|reflection|"
                          r"statue|empty\s+chair|absence)\b")

# --- time of day -----------------------------------------------------------------------

# Heading words that continue the time of the previous scene.
CONTINUITY_MARKERS = {
    "CONTINUOUS": "continuous",
    "CONT'D": "continuous",
    "CONT": "continuous",
    "SAME TIME": "same",
    "SAME": "same",
    "MOMENTS LATER": "moments",
    "A MOMENT LATER": "moments",
    "MOMENT LATER": "moments",
    "SECONDS LATER": "moments",
    "MINUTES LATER": "moments",
    "A FEW MINUTES LATER": "moments",
    "LATER": "later",
    "HOURS LATER": "later",
    "LATER THAT DAY": "later",
    "LATER THAT NIGHT": "later",
}
# Periods of the day cycle: 0 dawn, 1 morning, 2 midday, 3 afternoon, 4 dusk, 5 evening, 6 night.
PERIODS: dict[str, frozenset[int]] = {
    "DAWN": frozenset({0}),
    "SUNRISE": frozenset({0}),
    "DAYBREAK": frozenset({0}),
    "FIRST LIGHT": frozenset({0}),
    "PRE-DAWN": frozenset({6, 0}),
    "EARLY MORNING": frozenset({0, 1}),
    "MORNING": frozenset({1}),
    "LATE MORNING": frozenset({1, 2}),
    "DAY": frozenset({1, 2, 3}),
    "MIDDAY": frozenset({2}),
    "NOON": frozenset({2}),
    "AFTERNOON": frozenset({3}),
    "LATE AFTERNOON": frozenset({3, 4}),
    "DUSK": frozenset({4}),
    "SUNSET": frozenset({4}),
    "TWILIGHT": frozenset({4}),
    "MAGIC HOUR": frozenset({4}),
    "NIGHTFALL": frozenset({4, 5}),
    "EARLY EVENING": frozenset({4}),
    "EVENING": frozenset({4, 5}),
    "NIGHT": frozenset({5, 6}),
    "LATE NIGHT": frozenset({6}),
    "MIDNIGHT": frozenset({6}),
}
PERIOD_COUNT = 7
# Light the action describes; a clause that names one must match the heading's time.
SUN_LIGHT = re.compile(
    r"\b(?:sunlight|sunshine|sunbeams?|sunlit|sun-drenched|sun-baked|broad\s+daylight|bright\s+daylight|"
    r"daylight\s+(?:streams|floods|pours|spills|fills)|(?:the|a)\s+(?:midday|noon|afternoon|morning|hot|"
    r"blazing|harsh|bright)\s+sun|the\s+sun\s+(?:blazes|beats|shines|glares|is\s+high|burns|climbs|hangs\s+high)|"
    r"sun\s+(?:streams|pours|blazes|beats)|blue\s+sky|cloudless\s+sky)\b"
)
NIGHT_LIGHT = re.compile(
    r"\b(?:moonlight|moonlit|moonbeams?|starlight|starlit|the\s+moon\s+(?:hangs|is\s+up|shines|rises|glows|"
    r"sits)|(?:full|pale|crescent|silver)\s+moon|stars\s+(?:glitter|twinkle|wheel|shine|overhead|above)|"
    r"night\s+sky|pitch[-\s]black\s+night|under\s+the\s+stars)\b"
)
SUN_PERIODS = frozenset({0, 1, 2, 3, 4})
NIGHT_PERIODS = frozenset({4, 5, 6, 0})
LIGHT_NEGATION = re.compile(r"\b(?:no|not|never|without|lack\s+of|absence\s+of|photo|picture|painting|poster|"
                            r"screen|tv|television|postcard|memory|dream|remembers?|imagines?)\b")
# A jump in story time written into a scene that claims to continue the last one.
TIME_JUMP = re.compile(
    r"\b(?:(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|a\s+few|many)\s+"
    r"(?:hours?|days?|weeks?|months?|years?)\s+later|the\s+(?:next|following)\s+(?:day|morning|afternoon|"
    r"evening|night|week)|next\s+(?:morning|day)|the\s+day\s+after)\b",
    re.I,
)
FLASHBACK_END = re.compile(r"\b(?:END\s+(?:OF\s+)?FLASH\s*BACK|BACK\s+TO\s+(?:THE\s+)?PRESENT|PRESENT\s+DAY)\b", re.I)

# --- props -----------------------------------------------------------------------------

# Verbs by which a character breaks something ("smashes the vase", "tears the letter in two").
BREAK_TRANSITIVE = _words(
    """
    breaks smashes shatters snaps cracks crushes shreds wrecks destroys demolishes dents rips
    tears burns splinters stomps stamps trashes bends mangles pulverises pulverizes crumples
    breaking smashing shattering snapping cracking crushing shredding wrecking destroying
    ripping tearing burning stomping stamping trashing
    """
)
# Particles some break verbs need to mean breaking ("tears up the letter", "stomps on the phone").
BREAK_NEEDS = {"rips": ("up", "apart", "in half", "in two", "to pieces", "to shreds"),
               "tears": ("up", "apart", "in half", "in two", "to pieces", "to shreds"),
               "ripping": ("up", "apart", "in half", "in two"),
               "tearing": ("up", "apart", "in half", "in two"),
               "stomps": ("on",), "stamps": ("on",), "stomping": ("on",), "stamping": ("on",),
               "burns": (), "burning": (), "bends": (), "crumples": ()}
# A thing that breaks by itself ("the glass shatters", "the phone is smashed").
BREAK_INTRANSITIVE = re.compile(
    r"\b(?:shatters|breaks|cracks|snaps|splinters|explodes|smashes|crumbles|disintegrates|bursts|"
    r"(?:is|are|lies|lie|lay|sits|sit|now)\s+(?:broken|smashed|shattered|cracked|ruined|destroyed|in\s+pieces|"
    r"in\s+shards|wrecked|dead|crushed|snapped|torn|shredded|split)|goes\s+dead|dies|falls\s+apart|"
    r"(?:in|into)\s+(?:pieces|shards|fragments|splinters)|to\s+pieces|(?:tears?|rips?)\s+(?:clean\s+)?"
    r"(?:in\s+(?:two|half)|apart)|(?:crashes|smashes|topples|tumbles|plummets)\s+(?:down\s+)?(?:on)?to\s+the\s+"
    r"(?:floor|ground|tiles|pavement|concrete|deck)|in\s+a\s+(?:heap|mess|ruin)|collapses|caves\s+in)\b"
)
# Where a mess lands on clothes: "bursts across the floor and all over his black jeans".
STAIN_LANDS = re.compile(
    r"\b(?:bursts|explodes|spills|splashes|splatters|sprays|showers|slops|sloshes|drips|goes|lands|rains)\b.{0,40}?"
    r"\b(?:all\s+over|over|across|down|onto|on)\s+(?:the\s+front\s+of\s+)?(?:his|her|their|[a-z]+'s)\s"
)
DAMAGE_WORDS = re.compile(
    r"\b(?:broken|smashed|shattered|cracked|ruined|destroyed|pieces|shards|remains|fragments|splinters|"
    r"wreck|wrecked|dead|torn|shredded|crushed|snapped|useless|busted|bent|dented|what's\s+left|"
    r"what’s\s+left|damaged|glued|taped|mended|repaired|fixed|new|another|spare|replacement|second|"
    r"other|different|fresh|backup|borrowed|duplicate|copy|identical|photocopy|replica|half|halves|remaining|"
    r"torn|ripped|scraps?|charred|burnt|burned|singed)\b"
)
# Fire and shredding destroy a thing for good ("sets a match to it", "the letter burns to ash").
DESTROY = re.compile(
    r"\b(?:sets|puts|touches|holds|takes)\s+(?:a|the|his|her|their)\s+(?:match|lighter|flame|candle|torch)\s+to\s+"
    r"(?P<a>it|(?:the|his|her|their|a)\s+[\w'-]+(?:\s+[\w'-]+)?)|\bsets\s+fire\s+to\s+(?P<b>it|(?:the|his|her|their|a)\s+"
    r"[\w'-]+(?:\s+[\w'-]+)?)|\bsets\s+(?P<c>it|(?:the|his|her|their)\s+[\w'-]+)\s+(?:alight|on\s+fire|ablaze)|"
    r"\bfeeds\s+(?P<d>it|(?:the|his|her|their)\s+[\w'-]+)\s+(?:to|into)\s+the\s+(?:fire|flames|shredder|stove)"
)
DESTROYED_STATE = re.compile(
    r"\b(?:burns?\s+(?:to\s+ash(?:es)?|up|away)|goes\s+up\s+in\s+(?:flames|smoke)|catches\s+fire|"
    r"(?:curls|crumbles|turns)\s+(?:in)?to\s+ash(?:es)?|is\s+(?:ash|ashes|burnt|burned|shredded|incinerated)|"
    r"in\s+(?:shreds|ashes)|to\s+(?:shreds|ashes|ash|confetti))\b"
)
REPAIR_VERBS = _words(
    """
    repairs fixes mends glues tapes patches replaces charges recharges restores reassembles
    rebuilds swaps buys borrows
    """
)
# Things that work only when intact; the head noun must appear soon after (or before) the verb.
FUNCTION_INTRANSITIVE = re.compile(
    r"\b(?:rings|ringing|buzzes|buzzing|vibrates|vibrating|lights\s+up|chimes|beeps|beeping|ticks|ticking|"
    r"glows|glowing|plays|playing|works|hums|displays|flashes|blinks|starts\s+up|roars\s+to\s+life|"
    r"springs\s+open|reads|shows|boots\s+up|powers\s+on)\b"
)
FUNCTION_TRANSITIVE = _words(
    """
    dials answers checks drinks sips pours opens unlocks locks wears winds plays uses fills
    reads rereads unfolds texts types scrolls photographs films fires loads starts drives
    lights wields swings raises aims consults studies inspects calls holds pulls produces
    brandishes flips rings unwraps waves shows hands gives passes slides offers serves sets
    places puts lays carries lifts stacks washes dries polishes arranges balances clutches
    grips raps taps strokes hangs props rests signs stamps seals posts mails files clips attaches
    straps fits connects plugs screws mounts installs tests activates
    """
)
# Verbs that take a thing away from its holder or out of the story.
LOSE_TRANSITIVE = _words("loses drops throws tosses flings hurls chucks dumps kicks")
LOSE_PLACES = re.compile(
    r"\b(?:into|in|down|over|off|out\s+of|out|overboard|through)\s+(?:the\s+|a\s+)?(?:\w+\s+)?"
    r"(?:river|sea|ocean|lake|drain|sewer|well|water|fire|flames|fireplace|toilet|abyss|canal|gutter|grate|"
    r"harbour|harbor|bay|chasm|ravine|pit|bin|trash|garbage|rubbish|dumpster|incinerator|furnace|"
    r"storm\s+drain|waves|surf|swamp|bog|quarry|gorge|void|darkness|window|bridge|cliff|side|edge|pond|"
    r"creek|stream|ditch|mud|snow|dark|night|wind|shredder|airlock|space|black|abyss|crevasse|chute|"
    r"lava|volcano|current|rapids|tide|undergrowth|sea\s+bed|seabed|depths|vent|grating|sewer)\b|\boverboard\b"
)
LOST_STATE = re.compile(
    r"\b(?:is|are)\s+(?:lost|gone|missing|stolen)\b|\bsinks?\b|\bdisappears?\b|\bvanish(?:es)?\b"
    r"|\b(?:is|are)\s+swept\s+away\b|\bfloats?\s+away\b|\bwash(?:es)?\s+away\b"
)
# A thing that falls somewhere it cannot be got back from ("the keys drop into the creek").
FALLS = re.compile(r"\b(?:drops?|falls?|slides?|slips?|tumbles?|plunges?|skitters?|bounces?|rolls?)\b")
FIND_VERBS = _words(
    "finds retrieves recovers fishes digs regains reclaims rescues salvages spots locates collects"
)
# Hand-overs: "hands Mia the key", "gives the key to Mia", "passes it back".
GIVE_VERBS = _words("hands gives passes tosses slides returns offers lends throws slips")
TAKE_VERBS = _words("takes grabs snatches steals swipes pockets seizes picks collects accepts")
POCKET_PLACES = re.compile(r"\b(?:into|in)\s+(?:his|her|their|a|the)\s+(?:\w+\s+)?(?:pocket|bag|purse|handbag|"
                           r"backpack|jacket|coat|satchel|briefcase|wallet|glovebox|sleeve|boot|waistband)\b")
LEAVE_BEHIND = re.compile(r"\bleaves\s+(?:the\s+|a\s+|his\s+|her\s+|their\s+)?(?P<thing>[\w'’-]+(?:\s+[\w'’-]+){0,2})"
                          r"\s+(?:behind|on|in|at|under|by|beside|with)\b")

# --- bodies: injuries, wet, dirt, makeup ----------------------------------------------

PART_GROUPS = {
    **dict.fromkeys("hand hands palm palms finger fingers knuckle knuckles thumb thumbs wrist wrists".split(), "hand"),
    **dict.fromkeys("arm arms forearm forearms elbow elbows shoulder shoulders collarbone".split(), "arm"),
    **dict.fromkeys(
        "head forehead temple brow eyebrow scalp skull face cheek cheeks cheekbone jaw chin lip lips mouth "
        "nose ear ears eye eyes".split(), "face"),
    **dict.fromkeys("neck throat chest ribs rib side stomach belly back hip".split(), "body"),
    **dict.fromkeys("leg legs knee knees kneecap shin shins ankle ankles foot feet toe toes heel thigh thighs "
                    "calf".split(), "leg"),
}
# Injury nouns a writer refers back to ("the cut on her cheek", "his black eye").
INJURY_NOUNS = {
    "cut": "cut", "cuts": "cut", "gash": "cut", "slash": "cut", "nick": "cut", "laceration": "cut",
    "wound": "wound", "bruise": "bruise", "bruises": "bruise", "welt": "bruise", "graze": "graze",
    "scrape": "graze", "scratch": "scratch", "scratches": "scratch", "burn": "burn", "blister": "burn",
    "black eye": "bruise", "shiner": "bruise", "split lip": "cut", "bloody nose": "bleeding",
    "nosebleed": "bleeding", "bandage": "bandage", "bandages": "bandage", "sling": "sling",
    "cast": "cast", "splint": "cast", "stitches": "cut", "bite": "bite", "bullet wound": "wound",
    "swelling": "bruise", "lump": "bruise", "sprain": "sprain", "limp": "sprain",
}
# Verbs that injure the subject's own body part ("cuts her palm", "sprains his ankle").
SELF_INJURY_VERBS = {
    "cuts": "cut", "slices": "cut", "gashes": "cut", "nicks": "cut", "splits": "cut", "slashes": "cut",
    "grazes": "graze", "scrapes": "graze", "skins": "graze", "burns": "burn", "scalds": "burn",
    "sprains": "sprain", "twists": "sprain", "turns": "sprain", "breaks": "fracture", "fractures": "fracture",
    "bruises": "bruise", "bangs": "bruise", "bashes": "bruise", "stubs": "bruise", "hurts": "bruise",
    "injures": "wound", "wounds": "wound", "bloodies": "bleeding", "scratches": "scratch", "jams": "bruise",
    "pricks": "cut", "stabs": "cut", "catches": "cut", "rolls": "sprain", "wrenches": "sprain",
    "dislocates": "fracture",
    "smashes": "bruise", "crushes": "bruise", "barks": "graze",
}
# Signs of an injury to a body part ("clutching his left ankle", "tapes the ankle", "ices her wrist").
INJURY_SIGNS = re.compile(
    r"\b(?:clutch(?:es|ing)|grabs|grabbing|cradl(?:es|ing)|nurs(?:es|ing)|favou?r(?:s|ing)|tap(?:es|ing)|"
    r"strap(?:s|ping)|bandag(?:es|ing)|ic(?:es|ing)|splint(?:s|ing)|stitch(?:es|ing)|dress(?:es|ing)|"
    r"rubs|rubbing|massag(?:es|ing))\s+(?:up\s+)?(the|his|her|their|[a-z]+'s)\s+(?:(left|right)\s+)?"
    r"(ankle|knee|wrist|leg|foot|arm|shoulder|hand|thumb|finger|ribs|side|elbow|forearm|shin|hip|neck|back)\b"
)
# "his right thumb bandaged", "her left arm in a sling": the state after the part.
PART_THEN_STATE = re.compile(
    r"\b(his|her|their|[a-z]+'s)\s+(?:(left|right)\s+)?(\w+)\s+(?:is\s+|now\s+|still\s+)*(bandaged|taped|strapped|"
    r"splinted|bleeding|swollen|bruised|in\s+a\s+sling|in\s+plaster|in\s+a\s+cast|wrapped|stitched|burnt|burned|"
    r"blistered|scraped|grazed|raw)\b"
)
# Verbs that injure someone else ("stabs Dom in the side", "the dog bites Ray's hand").
OTHER_INJURY_VERBS = {
    "stabs": "wound", "slashes": "cut", "cuts": "cut", "shoots": "wound", "wounds": "wound",
    "bites": "bite", "scratches": "scratch", "burns": "burn", "scalds": "burn", "punches": "bruise",
    "headbutts": "bruise", "clubs": "bruise", "pistol-whips": "bruise", "kicks": "bruise",
}
# Only some of the "other" verbs injure by themselves; a punch needs a visible result.
OTHER_INJURY_SURE = frozenset({"stabs", "slashes", "shoots", "wounds", "bites", "scalds", "pistol-whips"})
BLEEDING = re.compile(r"\b(?:bleeds|bleeding|blood\s+(?:trickles|drips|runs|streams|pours|oozes|wells|seeps))\b")
INJURY_STATE = re.compile(
    r"\b(?:bandaged|bloodied|bloody|bruised|swollen|cut|gashed|grazed|scraped|scratched|burned|burnt|"
    r"blistered|limping|limps|sling|stitched|splinted|black\s+eye|split\s+lip|busted\s+lip|bloody\s+nose|"
    r"broken\s+(?:nose|arm|wrist|leg|finger|hand|rib|ribs|ankle))\b"
)
LEG_RUNNING = re.compile(r"\b(?:runs|sprints|races|dashes|bolts|leaps|jumps|vaults|charges|jogs|skips|dances)\b")
DESPITE = re.compile(r"\b(?:despite|in\s+spite\s+of|through\s+the\s+pain|wincing|winces|hobbl\w+|limp\w*|"
                     r"awkwardly|painfully|favou?ring)\b")
UNMARKED = re.compile(
    r"\b(?:unmarked|unblemished|unscathed|unhurt|unharmed|uninjured|flawless\s+(?:skin|face|complexion)|"
    r"without\s+a\s+(?:scratch|mark)|"
    r"not\s+a\s+(?:scratch|mark)|no\s+(?:sign|trace)\s+of\s+(?:the|any|a)\s+(?:cut|bruise|wound|injury|blood))\b"
)
BOTH_HANDS = re.compile(r"\bboth\s+(?:hands|arms)\b")
# Wet, dirty and made-up states of a body or its clothes, and the verbs that undo them.
WET_STATE = re.compile(
    r"\b(?:soaked|soaking|drenched|sodden|sopping|dripping|wet|waterlogged|rain-soaked|"
    r"soaked\s+through|soaked\s+to\s+the\s+skin)\b"
)
WET_EVENT = re.compile(
    r"\b(?:falls|fall|plunges|tumbles|jumps|dives|slips|topples)\s+(?:back\s+|headfirst\s+|backwards\s+)?(?:into|in)\s+"
    r"(?:the\s+|a\s+)?(?:\w+\s+)?(?:pool|river|lake|sea|water|fountain|puddle|canal|harbour|harbor|bath|tub|"
    r"creek|pond|ocean|surf|waves)\b"
)
SPLASH_OTHER = re.compile(r"\b(?:throws|tosses|splashes|dumps|pours|empties)\s+(?:a\s+|her\s+|his\s+|the\s+|"
                          r"their\s+)?(?:\w+\s+)?(?:drink|water|wine|coffee|beer|bucket|glass|cup|soda|juice)\b")
DIRTY_STATE = re.compile(
    r"\b(?:covered\s+in|caked\s+(?:in|with)|smeared\s+with|spattered\s+with|splattered\s+with|streaked\s+with|"
    r"muddy|mud-caked|mud-spattered|mud-streaked|filthy|grimy|soot-streaked|soot-stained|blood-spattered|"
    r"blood-soaked|blood-stained|bloodstained|grease-stained|paint-spattered|dusty|dishevel+ed)\b"
)
# Something that smears a body: "coolant coats his face and hands", "soot streaks her cheeks".
COVERS = re.compile(
    r"\b(?:coats|covers|cakes|smears|streaks|spatters|splatters|plasters|smothers|daubs|drenches|soaks)\s+"
    r"(?:his|her|their|[a-z]+'s)\s+(?:\w+\s+)?(?:face|faces|hands|hair|arms|cheeks?|skin|forehead|body|clothes|legs)\b"
)
DIRT_NOUNS = _words("mud dirt grime soot ash ashes paint flour blood grease oil dust sand tar ink filth")
# A stain on clothes: "knocks red wine down the front of his white shirt".
_LIQUIDS = (r"wine|coffee|tea|soup|gravy|ketchup|paint|ink|oil|beer|juice|sauce|curry|milk|mud|blood|cocktail|"
            r"drink|soda|smoothie|chocolate|grease|vomit|sick|food|water|coolant|slime|goo|tar|soot|ash|oil|sludge|"
            r"foam|custard|flour|yolk|egg|jam|syrup|honey|glue|dye")
STAIN = re.compile(
    rf"\b(?:spills?|knocks?|slops?|splashes|dribbles?|drips?|sloshes|tips?|dumps?|throws?|pours?)\b.{{0,40}}?"
    rf"\b(?:{_LIQUIDS})\b.{{0,30}}?\b(?:down|over|on|onto|across|all\s+over)\b"
    rf"|\b(?:{_LIQUIDS})\s+(?:splashes|spills|sloshes|drips|spatters|sprays|splatters|pours|runs|soaks|streaks|"
    rf"smears|goes)\b.{{0,30}}?\b(?:down|over|on|onto|across|all\s+over|into)\b"
)
STAINED = re.compile(r"\b(?:(?:wine|coffee|tea|blood|ink|paint|grease|mud|sauce|gravy)[-\s]?(?:stained|soaked|splashed|"
                     r"spattered)|stained|soiled|splattered|spattered|blotched)\b")
MAKEUP_STATE = re.compile(
    r"\b(?:mascara\s+(?:runs|running|streaks|streaked|smeared|smudged)|(?:smeared|smudged|running)\s+(?:mascara|"
    r"lipstick|makeup|make-up|eyeliner)|(?:lipstick|makeup|make-up|eyeliner)\s+(?:is\s+)?(?:smeared|smudged|"
    r"ruined|streaked)|tear-streaked|tear-stained)\b"
)
CLEAN_EVENT = re.compile(
    r"\b(?:dries|towels|showers|bathes|washes|wipes|cleans|scrubs|rinses|changes|freshens|"
    r"fixes\s+(?:her|his|their)\s+(?:makeup|make-up|hair|face)|reapplies|touches\s+up)\b"
)
# Words that claim a body or garment is dry, clean or freshly made up.
PRISTINE = re.compile(
    r"\b(?:bone[-\s]dry|dry|crisp|immaculate|pristine|spotless|spotlessly|perfectly\s+(?:groomed|styled|"
    r"made[-\s]up|dry|pressed|clean)|not\s+a\s+hair\s+out\s+of\s+place|freshly\s+(?:pressed|laundered|washed)|"
    r"impeccable|impeccably|flawless\s+(?:makeup|make-up)|(?:makeup|make-up)\s+(?:is\s+)?(?:flawless|perfect|"
    r"immaculate|pristine|fresh|untouched)|not\s+a\s+smudge|clean|neat|unruffled|dry-cleaned)\b"
)
DRY_WORDS = re.compile(r"\b(?:bone[-\s]dry|dry|perfectly\s+dry)\b")
CLEAN_WORDS = re.compile(r"\b(?:immaculate|pristine|spotless|spotlessly|clean|impeccabl[ey]|unruffled|crisp)\b")

# --- wardrobe --------------------------------------------------------------------------

WEAR_WORDS = re.compile(r"\b(?:wearing|wears|in|dressed\s+in|clad\s+in|sporting|sports|decked\s+out\s+in|dons)\b")
PUT_ON = re.compile(
    r"\b(?:puts|pulls|slips|shrugs|throws|tugs|drags|yanks)\s+(?:\w+\s+){0,4}?on\b|\b(?:puts|pulls|slips|shrugs|"
    r"throws)\s+on\b|\bdons\b|\bchanges\s+into\b|\bslips\s+into\b|\bgets\s+(?:dressed|changed)\b|"
    r"\bbuttons\s+up\b|\bzips\s+up\b|\bties\s+on\b|\bswaps\s+\w+\s+for\b"
)
TAKE_OFF = re.compile(
    r"\b(?:takes|pulls|slips|shrugs|strips|kicks|peels|tugs|whips|yanks|rips|tears|wriggles|sheds)\s+"
    r"(?:\w+\s+){0,4}?off\b|\b(?:takes|pulls|slips|shrugs|strips|kicks|peels|tugs|whips)\s+off\b|"
    r"\bremoves\b|\bsheds\b|\bunbuttons\b|\bunzips\b|\bhangs\s+up\b|\bundresses\b|\bdisrobes\b|"
    r"\bdrapes\b|\bhands\s+(?:his|her|their)\b"
)
CHANGE_SHOWN = re.compile(
    r"\b(?:changes|changed|has\s+changed|now\s+(?:in|wears|wearing|dressed)|swaps?|switches|"
    r"different\s+(?:outfit|clothes)|fresh\s+clothes|new\s+clothes|into\s+(?:a|her|his|their)\s+)\b"
)
COLOUR_FAMILIES: dict[str, str] = {
    **dict.fromkeys("red scarlet crimson cherry ruby wine burgundy maroon claret vermilion".split(), "red"),
    **dict.fromkeys(
        "blue navy azure cobalt sapphire indigo cyan turquoise teal denim-blue sky-blue royal-blue".split(), "blue"),
    **dict.fromkeys("green emerald olive khaki lime jade mint sage forest-green bottle-green".split(), "green"),
    **dict.fromkeys("yellow mustard lemon canary golden gold amber".split(), "yellow"),
    **dict.fromkeys("orange rust tangerine copper ginger apricot".split(), "orange"),
    **dict.fromkeys("purple violet lilac lavender plum mauve magenta".split(), "purple"),
    **dict.fromkeys("pink rose salmon fuchsia blush coral".split(), "pink"),
    **dict.fromkeys("black jet ebony charcoal".split(), "black"),
    **dict.fromkeys("white ivory cream snow-white off-white".split(), "white"),
    **dict.fromkeys("grey gray silver slate ash-grey".split(), "grey"),
    **dict.fromkeys("brown tan beige camel chocolate tawny taupe coffee".split(), "brown"),
}
MATERIALS = _words(
    """
    leather denim wool woollen woolen tweed silk silken velvet corduroy linen cotton satin suede
    fleece cashmere lace sequinned sequined waxed oilskin canvas nylon plastic rubber fur mohair
    """
)
PATTERNS = _words(
    "striped stripy checked checkered chequered plaid tartan polka-dot spotted floral paisley houndstooth "
    "camo camouflage"
)
# Garments and the slot they fill; two garments of one slot cannot be worn at once.
GARMENT_SLOTS: dict[str, str] = {
    **dict.fromkeys("coat overcoat raincoat greatcoat topcoat trenchcoat trench parka anorak mac mackintosh "
                    "cloak cape poncho windbreaker oilskin oilskins".split(), "coat"),
    **dict.fromkeys("jacket blazer bomber gilet fleece".split(), "jacket"),
    **dict.fromkeys("hoodie jumper sweater sweatshirt pullover cardigan".split(), "sweater"),
    **dict.fromkeys("shirt t-shirt tshirt tee blouse top polo turtleneck tunic camisole jersey".split(), "shirt"),
    **dict.fromkeys("trousers pants jeans slacks chinos joggers leggings shorts".split(), "trousers"),
    **dict.fromkeys("skirt".split(), "skirt"),
    **dict.fromkeys("dress gown frock sundress".split(), "dress"),
    **dict.fromkeys("suit tuxedo".split(), "suit"),
    **dict.fromkeys("uniform scrubs overalls dungarees jumpsuit boilersuit".split(), "uniform"),
    **dict.fromkeys("robe bathrobe dressing-gown kimono".split(), "robe"),
    **dict.fromkeys("pyjamas pajamas nightgown nightdress nightie".split(), "nightwear"),
    **dict.fromkeys("boots boot shoes shoe trainers sneakers heels stilettos sandals slippers loafers wellies "
                    "wellingtons brogues".split(), "shoes"),
    **dict.fromkeys("hat cap beanie beret fedora stetson bowler trilby".split(), "hat"),
    **dict.fromkeys("scarf headscarf bandana shawl".split(), "scarf"),
    **dict.fromkeys("tie bowtie necktie".split(), "tie"),
    **dict.fromkeys("gloves mittens".split(), "gloves"),
    **dict.fromkeys("glasses spectacles sunglasses shades goggles".split(), "glasses"),
    **dict.fromkeys("vest waistcoat".split(), "vest"),
    **dict.fromkeys("apron smock".split(), "apron"),
}
# Words around a garment that show it is not worn, body parts, gendered words and flashback
# markers are shared with the breakdown and characters: see `filmcrew.agents.lexicon`.
