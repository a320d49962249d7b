"""Word lists the offline crew reads scripts with: clothing, sounds, people, times of day.

These are plain English vocabularies, not tuned to any one script. The breakdown uses them to
sort the writer's caps words into cast, props, wardrobe and sound; continuity uses the same
lists so both agents agree on what a "coat" or a "bang" is. Every entry is lower case; callers
fold case before looking a word up. Extend a list where a real script shows a gap, never to
make one test pass.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """Build a frozen word set from a whitespace-separated string."""
    return frozenset(text.split())


# Clothing and worn accessories: a breakdown's wardrobe column (film-grammar.md §5).
WARDROBE = _words(
    """
    coat overcoat raincoat greatcoat topcoat trenchcoat oilskin oilskins parka anorak jacket
    blazer cardigan poncho cloak cape mac mackintosh windbreaker fleece gilet hoodie jumper
    sweater sweatshirt pullover shirt t-shirt tshirt blouse vest waistcoat tank-top jersey
    turtleneck polo tunic camisole trousers pants jeans shorts skirt leggings slacks chinos
    joggers dress gown suit tuxedo uniform scrubs overalls dungarees jumpsuit robe bathrobe
    dressing-gown pyjamas pajamas nightgown nightdress nightie tracksuit wetsuit kimono sari
    costume armour armor apron smock boots boot shoes shoe trainers sneakers heels stilettos
    sandals slippers loafers wellies wellingtons hat cap beanie helmet beret fedora headscarf
    hijab turban bandana balaclava glasses sunglasses spectacles goggles headphones earbuds
    lanyard scarf tie bowtie necklace earrings bracelet gloves mittens belt pendant brooch
    cufflinks stockings tights socks
    """
)

# Words that describe a garment ("rust oilskin COAT", "dark JACKET"); words ending in -ed, -ing,
# -en, -y, -ish or a possessive 's ("fisherman's JUMPER") count too.
WARDROBE_MODIFIERS = _words(
    """
    black white grey gray red blue green yellow orange purple pink brown beige navy crimson
    scarlet maroon olive khaki tan cream ivory gold golden silver rust teal turquoise charcoal
    bright dark light pale faded neon fluorescent hi-vis high-vis reflective
    leather suede denim wool tweed cotton silk satin velvet linen nylon plastic rubber fur
    fleece canvas oilskin corduroy cashmere lace tartan plaid camouflage camo floral
    old new smart tatty torn dirty clean wet damp long short heavy thin thick big huge baggy
    tight loose cheap expensive designer vintage formal casual work school hospital police
    army military navy winter summer rain wedding evening cocktail party dinner business lab
    prison flight bomber puffer biker hooded zip-up knit cable-knit sleeveless woollen
    woolen golden wooden sodden moth-eaten
    """
)

# Wardrobe words that are also common verbs ("she scrubs the deck", "it suits her"): they count
# only when no subject pronoun sits right before them and no object follows.
WARDROBE_VERBS = _words("scrubs dress dresses suit suits tie ties cap caps boot boots robes coats")

# Words before a garment that cannot be its modifiers: they end the phrase "rust oilskin COAT".
PHRASE_STOPS = _words(
    """
    a an the her his their its my your our this that these those some any
    in into on onto off of from over under with without and or but to at by for
    back now still again also just only then while as between among amongst beneath behind
    past across through against around beside near inside outside within every each
    wears wearing wore worn dons donning puts putting pulls pulling takes taking removes
    removing sheds shedding zips buttons unbuttons grabs holds adjusts straightens hangs drops
    throws tugs shrugs is are was were has have had sits stands walks
    she he they it we i you him them who which
    """
)

# Prepositions right before a garment that show it is somewhere rather than worn ("between
# coats", "from the coat", "onto the coat"): continuity gives such a mention to nobody.
NOT_WORN_BEFORE = _words(
    "between among amongst from under beneath behind past across through off over onto for at"
)

# A garment word followed by one of these names something else ("coat pocket", "coat rack",
# "shirt collar", "shoe shop"): breakdown, characters and continuity all skip it.
NOT_WORN_AFTER = _words(
    "pocket pockets rack racks hanger hangers hook hooks closet cupboard peg pegs sleeve sleeves "
    "collar collars button buttons zip zipper lapel lapels hem stand shop store check tail tails "
    "box bag"
)

# Determiners and prepositions: a sound word right after one is a noun ("her bangs", "a few
# clicks"), not something heard.
NOUN_MARKERS = _words(
    "a an the her his their its my your our this that these those some any few several many "
    "of in on with for from into onto under"
)

# Sounds as writers capitalise or describe them ("BANG", "the door bangs", "horn sounds").
SOUNDS = _words(
    """
    bang boom crash thud thump slam click clang clank clatter creak screech scream shriek
    gunshot gunshots gunfire blast explosion explode ring buzz beep bleep honk blare siren alarm
    knock tick hiss rumble roar thunder shatter smash whistle chime ding dong whoosh thwack
    whack crunch sizzle growl howl bark squeal crackle static rustle splash ping pop
    snap wail sound vibrate rattle clink jingle toll footsteps thunderclap
    applaud applause smack slap clap clack thunk squeak whirr music
    """
)

# Sounds people make (`LAUGHS`, `COUGH`): never a prop, but part of the performance, not an
# effect to record on its own.
VOCAL_SOUNDS = _words("laugh laughter cough gasp sob cheer grunt groan sigh snore giggle chuckle whimper")

# Sound words that mean nothing but a sound even as a lower-case noun ("a loud bang").
SOUND_NOUNS = _words(
    """
    bang boom crash thud thump clang clatter creak screech scream shriek gunshot gunshots
    gunfire blast explosion beep honk siren sirens hiss rumble roar thunder whoosh crunch growl
    howl squeal crackle rustle splash footsteps wail clink jingle thunderclap knocking
    """
)

# Sound verbs that need a noun subject to count ("horn sounds", not "that sounds right").
SUBJECT_ONLY_SOUNDS = _words("sound sounds")

# People named by what they are (a caps "MAN", "SECURITY GUARD"): cast when singular, extras
# when plural or counted ("TWO COPS", "PASSENGERS").
PERSON_NOUNS = _words(
    """
    man woman boy girl kid child baby toddler teen teenager guy lady gentleman stranger
    figure person guard cop policeman policewoman officer soldier nurse doctor surgeon medic
    paramedic waiter waitress bartender barman barmaid driver cabbie clerk cashier priest
    vicar nun teacher student neighbour neighbor receptionist detective inspector agent thug
    henchman goon passenger customer patron tourist intruder burglar thief robber gunman
    attacker killer captain sailor fisherman fisherwoman keeper pilot stewardess steward
    janitor cleaner butler maid chef cook farmer hunter ranger sheriff deputy judge lawyer
    reporter journalist photographer technician engineer mechanic courier messenger
    postman postwoman host hostess manager boss assistant secretary intern soldier
    worker dancer singer musician busker beggar vagrant drunk mother father grandmother
    grandfather son daughter husband wife brother sister uncle aunt cousin caller voice
    announcer narrator principal professor clown giant witch ventriloquist acrobat magician
    ringmaster mayor preacher minister bride groom teller attendant
    """
)
PLURAL_PEOPLE = _words(
    """
    men women children kids people crowd crowds passersby onlookers guests police
    soldiers officers cops guards nurses doctors students passengers customers patrons
    tourists workers dancers villagers townsfolk commuters pedestrians shoppers diners
    mourners spectators protesters reporters journalists photographers extras family
    band carnies audience congregation mob citizens employees ladies gentlemen staff team
    troops army choir orchestra
    """
)
NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten dozen dozens several many few some group pair"
)

# Caps words in action that are screen grammar or emphasis, never a prop.
CAPS_STOPWORDS = _words(
    """
    int ext est i/e v.o v.o. o.s o.s. o.c o.c. vo os oc cont'd cont’d continued continuous
    fade in out cut to dissolve match jump wipe iris black white intercut back scene
    angle on close closeup close-up insert pov wide shot shots tracking reverse over we see
    hear super title titles card chyron caption subtitle subtitles flashback flash end
    the montage series of beginning begin later moments moment same day night morning
    afternoon evening dusk dawn noon midnight present ok okay no yes not never now stop go
    all very really only just and or but a an is it its this that what who why how where
    when then there here he she they you me my our us him her his them their mr mrs ms dr
    st jr sr sir oh hey ah uh huh wow god help please thanks sorry hello bye
    fbi cia nypd lapd usa uk us eu un aka
    push pull tight pan tilt zoom dolly crane frame camera towards toward into onto away behind
    around circle quick slow motion up down young age am pm tm inches feet yards beat pause
    silence hold reveal overhead aerial establishing various closer wider suddenly finally
    pushes pulls pans tilts zooms dollies cranes circles reveals holds pushing pulling panning
    monday tuesday wednesday thursday friday saturday sunday january february april july
    august september october november december
    """
)

# Caps phrases that are transitions or camera directions when they open a caps run.
TRANSITION_WORDS = _words("fade cut dissolve smash match wipe iris intercut freeze")

# Copulas and intensifiers: a caps word right after one is stressed, not a thing ("be BAD").
COPULAS = _words(
    "is are was were be been being am seems seem seemed looks look feels feel gets get "
    "becomes become so very too really"
)

# Articles and possessives: a single caps word right before one is a verb taking an object
# ("her face FILLS the scope"), not a prop.
OBJECT_OPENERS = _words("the a an his her their its my your our this that these those")

# Words before a noun that make a caps word after them a thing (`the KEYS`, `two GUNS`).
DETERMINERS = OBJECT_OPENERS | NUMBER_WORDS | _words(
    "of with and or for in on at from into onto under over by some any no more few many another"
)
# Words that open a place or a motion, never a prop (`UNDER THE TABLE`, `AT THE CAR`).
PREPOSITIONS = _words("under at through across along into onto over behind beneath above inside outside toward towards")
# Words that end a phrasal verb (`YANKS OFF`, `BURSTS OPEN`), or stand for one (`SHUT`).
PARTICLES = _words("off through up down out open shut away back apart")
# Things whose names end in -ing (`RING`, `PAINTING`), which a lone caps -ING word may still be.
ING_NOUNS = _words(
    """
    ring string ceiling building painting clothing bedding wedding earring wing swing spring
    king sling stocking pudding icing railing awning carving drawing recording envelope
    wiring piping tubing siding stuffing frosting filling
    """
)

# Subject pronouns: a caps word right after one is a verb ("she SLAMS"), never a prop.
SUBJECT_PRONOUNS = _words("i you he she it we they who")

# Body parts: never the subject a sound is credited to ("the phone in her hand vibrates"), and
# nouns continuity may read as a subject phrase ("his knuckles").
BODY_PARTS = _words(
    """
    hand hands palm palms finger fingers knuckle knuckles thumb thumbs wrist wrists arm arms
    forearm forearms elbow elbows shoulder shoulders head forehead temple brow eyebrow face cheek
    cheeks cheekbone jaw chin lip lips mouth nose ear ears eye eyes neck throat chest ribs rib side
    stomach belly back collarbone leg legs knee knees kneecap shin shins ankle ankles foot feet toe
    toes heel thigh thighs calf hip scalp skull heart
    """
)

# Gendered words: pronouns, and role nouns or titles that name a woman or a man. Characters
# guess a character's pronouns with them; continuity resolves "she" to the right person.
SHE_WORDS = _words("she her hers herself")
HE_WORDS = _words("he him his himself")
SHE_NOUNS = _words(
    """
    woman girl lady mother mum mom grandmother gran granny granddaughter daughter sister wife aunt
    queen mrs ms miss niece actress waitress policewoman postwoman fisherwoman nun bride girlfriend
    widow hostess stewardess barmaid maid
    """
)
HE_NOUNS = _words(
    """
    man boy guy gentleman father dad grandfather grandpa grandson son brother husband uncle king mr
    nephew actor waiter policeman postman fisherman priest monk groom boyfriend widower host steward
    barman butler henchman gunman
    """
)

# A text ending in an abbreviation's full stop (`Dr.`, `MR.`): no sentence ends there.
ABBREVIATION_END = re.compile(r"\b(?:mr|mrs|ms|dr|st|jr|sr|prof|sgt|det|capt|lt|col|gen|vs|etc)\.$", re.I)

# Honorifics and titles: not a first or last name when matching "DR. SARAH KIM" to "KIM".
HONORIFICS = _words(
    "mr mr. mrs mrs. ms ms. miss dr dr. doctor prof prof. professor sir dame lord lady "
    "sgt sgt. sergeant det det. detective officer capt capt. captain father sister brother "
    "mother aunt uncle gran grandma grandpa"
)

# Modal words after a name: the character is spoken of, not present ("where Isla will find it").
ABSENT_AFTER_NAME = _words("will would could might should shall 'll ’ll")

# Heading words that put a scene outside the story's present (a flashback, a dream): such a
# scene neither moves the story day nor is compared with the time of day around it.
FLASHBACK = re.compile(
    r"\b(?:FLASH\s*BACK|DREAM|NIGHTMARE|FANTASY|MEMORY|VISION|HALLUCINATION|EARLIER"
    r"|YEARS\s+AGO|PAST)\b",
    re.I,
)

# Cue names that are a device, not a person in the room (`INTERCOM`, `MESSAGE MACHINE`): the
# line is heard, never framed.
DEVICE_VOICE = re.compile(
    r"\b(?:INTERCOM|(?:MESSAGE|ANSWERING)\s+MACHINE|VOICE\s*MAIL|PHONE|TELEPHONE|RADIO|TV|TELEVISION"
    r"|LOUDSPEAKER|P\.?A\.?(?:\s+SYSTEM)?|TANNOY|WALKIE[- ]TALKIE|COMPUTER|RECORDING|TAPE|VOICE)\b",
    re.I,
)
# Between the names of a joint cue (`NORA AND DEV`, `NORA & DEV`).
JOINT_CUE = re.compile(r"\s+(?:and|&)\s+", re.I)
# Action words of a phone call: in such a scene a speaker the action never names is on the line.
PHONE_CALL = re.compile(
    r"\b(?:dials?|dialed|dialled|dialing|dialling|phone|telephone|receiver|hangs?\s+up|voicemail"
    r"|answering\s+machine|intercom|speakerphone|on\s+the\s+line)\b",
    re.I,
)

# Words for counted story days ("DAY TWO", "Day 3").
ORDINALS: dict[str, int] = {
    word: index
    for index, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
