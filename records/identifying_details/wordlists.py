"""Word lists the identifying-details check reads: first names, and the vocabulary around them.

Kept apart from the rules so a reviewer can extend a list without reading a regular expression.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_DATA_DIR = Path(__file__).resolve().parent / "data"


def words(block: str) -> frozenset[str]:
    """Whitespace-separated words of a literal block (keeps long lists readable)."""
    return frozenset(block.split())


def _read_list(filename: str) -> frozenset[str]:
    """One word a line; lines starting with # are comments."""
    names: set[str] = set()
    with (_DATA_DIR / filename).open(encoding="utf-8") as handle:
        for line in handle:
            word = line.strip()
            if word and not word.startswith("#"):
                names.add(word)
    return frozenset(names)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names from ``data/first_names.txt`` (kept in a text file so it is easy to extend)."""
    return _read_list("first_names.txt")


@lru_cache(maxsize=1)
def lower_first_names() -> frozenset[str]:
    """The listed first names in lower case, for text typed without capitals."""
    return frozenset(name.lower() for name in first_names())


@lru_cache(maxsize=1)
def lower_names() -> frozenset[str]:
    """Every name the check knows, in lower case: the listed names and the word-like ones."""
    return lower_first_names() | word_like_lower_names()


@lru_cache(maxsize=1)
def word_like_lower_names() -> frozenset[str]:
    """Names that are everyday words in lower case ("grace", "will", "poppy").

    ``data/word_like_names.txt`` says how the list was made; the word-like capitalised names
    and every name that is also a stop word are added, so the three lists cannot disagree.
    """
    listed = _read_list("word_like_names.txt")
    ambiguous = {name.lower() for name in AMBIGUOUS_NAMES}
    stop = {name for name in lower_first_names() if name in STOP_WORDS}
    return frozenset(listed | ambiguous | stop)


# First names that are also ordinary English words, months or places. They are flagged only
# with person-like context: a possessive ("Summer's"), a following verb ("Grace said"), a
# following surname, or a cue word before them ("the girl, Hope,").
AMBIGUOUS_NAMES: frozenset[str] = words(
    """
    Amber Angel April Art August Autumn Bay Bill Blessing Brook Charity Chase Chen Christian
    Crystal Dawn Dean Destiny Drew Faith Florence Frank Georgia Grace Guy Harmony Heaven Hope
    India Jack Jan Jordan Joy Jun June King Major Mark Max May Mercy Miles Paris Patience Pearl
    Precious Rain Ray Reed River Sky Star Storm Summer Sunny Victoria Will An Yu Yi Nur Ama Iman
    Noor Sultan Zion Amani Lee Kim Mina
    """
)

# Capitalised words common in safeguarding and school prose that are never names here. Words
# are compared case-insensitively. Includes roles, agencies, procedures, school vocabulary,
# calendar words, function words that start sentences, products and places.
STOP_WORDS: frozenset[str] = frozenset(
    w.lower()
    for w in words(
        """
    a about above across after again against all also although always am among an and another
    any are around as at be because been before being below between both but by can cannot could
    did do does during each either even every few first for from further had has have having he
    her here hers herself him himself his how however i if in into is it its itself just last
    least less many may me might more most much must my myself never next no nor not now of off
    often on once one only or other our ours out over own per perhaps rather same second several
    she should since so some still such than that the their theirs them themselves then there
    these they third this those though three through thus to together too two under unless until
    up upon us very was we were what when where whether which while who whom whose why will with
    within without would yes yet you your yours overall reflection reflecting reflected note
    notes noted action actions agreed discussed discussion outcome outcomes summary update
    updates positive concern concerns risk risks please thanks thank today yesterday tomorrow
    head headteacher heads deputy assistant principal teacher teachers tutor tutors governor
    governors governing body chair vice trustee trustees clerk officer officers lead leads leader
    leaders leadership manager managers coordinator co-ordinator worker workers nurse nurses
    doctor gp paediatrician psychologist psychologists counsellor mentor mentors social
    designated safeguarding attendance welfare pastoral family families support senco sendco
    police constable pcso sergeant inspector senior executive director directors member members
    reviewing independent virtual school schools academy academies college nursery primary
    secondary infant infants junior juniors trust trusts council authority local county city
    borough partnership partnerships board panel hub team teams service services unit centre
    center department office front door duty assessment assessments care children childrens
    child young people peoples youth justice early help health mental education educational
    elective home missing protection consultation plan plans conference strategy meeting
    meetings review reviews serious case cases practice learning multi-agency agency operation
    encompass prevent channel section part level key stage year years reception form class
    room block site term terms autumn spring half christmas easter ramadan eid diwali
    hanukkah vaisakhi lent advent monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec keeping safe working safeguard act acts
    guidance framework policy policies procedure procedures threshold thresholds document
    tool tools profile graded traffic light signs safety online data gdpr ofsted dfe hscp mash
    camhs lado dsl dsls nspcc barnardo barnardos kooth place2be childline samaritans mind women
    womens aid refuge microsoft zoom google meet snapchat tiktok instagram whatsapp facebook
    youtube roblox fortnite discord cpoms myconcern arbor sims excel word england english
    britain british uk united kingdom scotland scottish wales welsh ireland irish northern
    london europe european catholic church cofe c.e. st saint fabricated induced illness
    female genital mutilation domestic abuse violence sexual exploitation criminal lines
    special guardianship order orders kinship private fostering foster adoption adopted looked
    leaver leavers pupil pupils premium free meals referral referrals alternative provision
    exclusion exclusions suspension behaviour culture relationships rshe pshe curriculum
    national npq leading parents parent evening single central record interim core group
    initial need needs pathway transition thrive elsa nurture jigsaw forest healthy holiday
    activities food programme strengthening supporting troubled around room hall gate
    building field playground canteen library polish romanian roma traveller travellers
    gypsy somali syrian afghan ukrainian muslim christian jewish sikh hindu asian black white
    eritrean sudanese nigerian ghanaian pakistani bangladeshi indian chinese vietnamese
    albanian kurdish iraqi iranian lithuanian latvian slovak czech bulgarian portuguese
    spanish italian french german turkish arabic urdu punjabi bengali mum mom dad mother
    father parent carer carers stepmother stepfather stepdad stepmum grandmother grandfather
    grandparents gran nan grandad aunt uncle cousin brother sister sibling siblings son
    daughter baby twins girl boy student students sir madam miss mr mrs ms mx dr prof
    professor judge court magistrates tribunal probation nhs gp hospital clinic surgery a&e
    paramedic ambulance fire housing benefit benefits universal credit dwp hmrc home-office
    immigration asylum interpreter interpretation translation supervision supervisor
    supervisors supervisee session sessions contract invoice fee fees training course
    network forum briefing briefings audit audits return returns report reports
    chronology chronologies analysis reflection record records recording log logs tracker
    register registers census inspection inspections grade grades good outstanding
    requires improvement inadequate sats gcse gcses a-level a-levels btec ks1 ks2 ks3 ks4
    eyfs ehcp ehcps pep peps iep sen send sencos inclusion cme ehe ap pru neet marac mappa
    iro cin cp lac cla cic sgo sw fgm csa cse cce hsb tac taf tas mhst mhsts rag red amber
    green yellow purple lgbtq lgbtq+ covid covid-19 lockdown q&a faq ok note nb ps re fyi
    phase phases stage hope faith grace summer will staff everyone everybody nobody someone
    somebody anyone anybody colleagues others people team-mates classmates peers day days
    """
    )
)

# Words that, right after a capitalised word, make it a place or organisation, not a person.
PLACE_ORG_WORDS: frozenset[str] = words(
    """
    Park Street St Road Rd Lane Avenue Ave Close Drive Way Crescent Court Gardens Terrace Place
    Grove Rise Walk Hill Row View Mews Square Green Parade Vale Croft Fold Meadow Meadows Wharf
    Yard Bank Chase Gate Heights Estate Station School Academy Primary Secondary Infant Infants
    Junior Juniors College Nursery Trust Centre Center House Hospital Clinic Surgery Church
    Chapel Mosque Temple Gurdwara Synagogue Hall Library Traffic Tool Model Review Report
    Partnership Council Services Service Team Unit Hub Foundation University Campus Lodge Manor
    Farm Wood Woods Fields Field Bridge Cross Market Square Quay Dock Port Valley Mount
    Learning Multi Federation Ward Wing Building Award Awards Prize Fund Institute Society
    Programme Memorial Stadium Arena Theatre Museum Gallery Collection Lecture Scheme Schools
    Centres Trusts Academies Colleges Hospitals Foundation's Centre's Trust's
    """
)

# Lowercase words after which a capitalised word is very likely a person's name.
CUE_WORDS: frozenset[str] = words(
    """
    pupil child boy girl student sibling brother sister son daughter cousin twin baby toddler
    teenager mum mom dad mother father stepdad stepmum stepfather stepmother nan gran grandma
    grandad grandmother grandfather aunt auntie uncle carer called named nicknamed surname
    partner boyfriend girlfriend friend stepbrother stepsister half-brother half-sister nephew
    niece grandson granddaughter twins siblings sons daughters brothers sisters children
    """
)

# Lowercase words after "Name's" that show the name belongs to a person.
KIN_WORDS: frozenset[str] = words(
    """
    mum mom mummy dad daddy mother father parent parents family brother brothers sister sisters
    sibling siblings grandmother grandfather grandma grandad gran nan nana stepmother stepfather
    stepmum stepdad aunt auntie uncle cousin cousins carer carers foster partner boyfriend
    girlfriend friend friends home house bedroom room school class teacher attendance behaviour
    arms arm face legs leg back injuries injury bruising bruises weight health disclosure
    social phone mobile account name birthday behalf older younger baby twin new own key
    absence absences needs plan file records safety wellbeing views voice case situation
    progress presentation placement disclosures allegation allegations statement self-harm
    emotional mental medical immigration weight lunch uniform coat bag cousin's
    """
)

# Lowercase words after a capitalised word that show it is the subject of a sentence about a
# person ("Grace said", "Will has been").
PERSON_VERBS: frozenset[str] = words(
    """
    said says told tells has had is was disclosed discloses reported reports arrived arrives
    attends attended attending missed misses lives lived stays stayed came comes went goes
    spent spends stopped started seems seemed appears appeared wants wanted asked asks ran runs
    left refused refuses needs needed feels felt shared explained cried hit hits hurt kicked
    punched ate eats sleeps slept walked walks returned returns admitted denied became becomes
    remains remained struggles struggled will would can could cannot did does didn't doesn't
    isn't wasn't hasn't hadn't won't can't
    """
)

# Verbs of speaking: "X said" makes X a person even at the start of a sentence.
SPEECH_VERBS: frozenset[str] = words(
    """
    said says told tells disclosed discloses alleged alleges explained explains admitted admits
    denied denies cried shouted screamed whispered asked asks
    """
)

# Verbs whose object is usually a person: "the EWO visited Lucja".
OBJECT_VERBS: frozenset[str] = words(
    """
    visited saw met collected supported interviewed asked told phoned hugged hit kicked punched
    bullied threatened groomed excluded suspended reassured comforted encouraged followed found
    chased pushed slapped restrained
    """
)
TALK_VERBS: frozenset[str] = words(
    "spoke speak speaks speaking talked talk talks talking listened listening"
)

# Dotted abbreviations that are not initials.
NOT_INITIALS: frozenset[str] = words(
    "U.K. D.O.B. A.M. P.M. P.E. R.E. E.G. I.E. N.B. P.S. R.I.P. U.S. U.S.A. E.U. C.E."
)

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)"

MONTH_WORDS: frozenset[str] = words(
    "January February March April May June July August September October November December"
)

# Lower-case forms of the place and organisation words: "harvey road", "florence ward".
LOWER_PLACE_ORG_WORDS: frozenset[str] = frozenset(w.lower() for w in PLACE_ORG_WORDS)

# Words before a lower-case word-like name that make it a thing, not a person: "the hope",
# "a real will", "her grace", "our summer".
DETERMINERS: frozenset[str] = words(
    """
    the a an this that these those his her their our its my your no some any every each real
    great good new big little such what which whose own much more most
    """
)

# Words before "about" that make the next word the subject of a worry: "concerns about grace".
CONCERN_WORDS: frozenset[str] = words(
    """
    concern concerns concerned worry worries worried worrying talked talk talking spoke speak
    asked ask thinking think thought heard hear reflected reflecting curious anxious upset
    """
)
