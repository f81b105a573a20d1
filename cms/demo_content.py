"""Demo content drawn from the two service documents in the seeds (CPSLO and CSAWS).

Kept apart from the command so tests and other apps' seeders can reuse the data.
"""

from __future__ import annotations

from decimal import Decimal

ROLES = [
    ("Designated Safeguarding Lead (DSL/DSP)", "dsl"),
    ("Attendance lead", "attendance-lead"),
    ("School welfare officer", "school-welfare-officer"),
]

TOPICS = [
    "Well-being",
    "Diversity and inclusion",
    "Community issues",
    "Capacity",
    "HSCP procedures",
    "Training needs, the supervisee's and others'",
    "Discussion around thresholds",
    "Risk management",
    "Staffing issues (including the governing body)",
    "The supervision the supervisee delivers",
    "Professional development in relation to safeguarding",
    "Conflict, in relation to safeguarding",
    "Other agencies",
]

SIGNPOST_ROUTES = [
    (
        "Case direction for cases not open to children's services",
        "The Child Protection Consultation Hub",
        "The supervisor has no access to children's services information about a child, so "
        "cannot give case management or direction.",
    ),
    (
        "Performance issues and HR issues",
        "The supervisee's line manager or HR adviser",
        "Supervision is separate from line management.",
    ),
    (
        "Need for counselling or therapeutic support",
        "The employee assistance programme, counselling or the GP",
        "Supervision supports well-being but is not therapy.",
    ),
    (
        "Escalation of cases",
        "The local escalation (resolving professional differences) procedure",
        "Escalation follows the partnership's procedure, not supervision.",
    ),
    (
        "Resource needs",
        "The headteacher or governing body",
        "Decisions on resources sit with the school's leadership.",
    ),
]

SERVICES = [
    {
        "title": "Safeguarding supervision for Designated Safeguarding Leads",
        "slug": "dsl-supervision",
        "summary": "Reflective, one-to-one safeguarding supervision for Designated Safeguarding "
        "Leads and Designated Persons for Child Protection in schools and settings.",
        "purpose": "<p>Safeguarding supervision is professional support and learning that helps "
        "you develop knowledge and competence. It is time to reflect on safeguarding practice, "
        "review and analyse it, raise concerns and improve practice. It is separate from line "
        "management supervision.</p><ul><li>review workloads, if needed</li><li>discuss and "
        "seek guidance on specific cases</li><li>be challenged supportively and constructively "
        "within agreed boundaries</li><li>identify and discuss workplace issues and working "
        "practices</li><li>recognise achievements and support emotional well-being and "
        "resilience</li></ul><p>Supervision develops good practice so that decisions rest on "
        "sound evidence and assessment of risk, provides challenge, prevents drift and keeps "
        "the focus on the child's voice and experience.</p>",
        "audience": "<p>Designated Safeguarding Leads (DSLs) and Designated Safeguarding Persons "
        "(DSPs) in schools and settings, and their deputies.</p>",
        "session_format": "<p>Individual face-to-face sessions with the member of the team your "
        "school chooses, or group sessions for several staff. Each session lasts at least one "
        "hour. Your school decides how often sessions happen, and the supervisee chooses a "
        "confidential setting free of interruption. A written supervision agreement is in place "
        "before sessions start and can be reviewed. Every session is properly and promptly "
        "recorded: all details of children are anonymised, and both you and your supervisor "
        "hold a copy securely.</p>",
        "roles": ["dsl"],
        "signpost": True,
    },
    {
        "title": "Supervision for attendance leads and school welfare officers",
        "slug": "attendance-supervision",
        "summary": "Supervision for staff responsible for school attendance: attendance leads, "
        "school attendance officers and school welfare officers.",
        "purpose": "<p>Supervision helps you fulfil your attendance role with confidence:</p>"
        "<ul><li>improving whole-school attendance and identifying and responding to poor "
        "attendance</li><li>recognising the significant link between safeguarding and poor "
        "school attendance</li><li>navigating the legislation and the national and local "
        "procedures for poor attendance, removing pupils from roll, Children Missing Education "
        "and maintaining registers</li><li>complex case guidance and support</li><li>support "
        "to implement change</li></ul>",
        "audience": "<p>Attendance leads, school attendance officers and school welfare "
        "officers.</p>",
        "session_format": "<p>One-to-one or group sessions of at least an hour, held in an "
        "appropriate place free of interruption, at a frequency your school chooses. A written "
        "supervision agreement comes first, and each session is properly and promptly "
        "recorded.</p>",
        "roles": ["attendance-lead", "school-welfare-officer"],
        "signpost": True,
    },
]

RATES = [(60, Decimal("60.00")), (90, Decimal("80.00"))]

SUPERVISORS = [
    {
        "title": "Amira Hussain",
        "username": "amira.hussain",
        "job_title": "Child Protection School Liaison Officer",
        "biography": "<p>Amira was a primary DSL for nine years before joining the team. She "
        "supervises DSLs in primary and special schools and has a particular interest in "
        "well-being and resilience.</p>",
        "specialisms": ["Primary schools", "Special educational needs", "Well-being"],
        "roles": ["dsl"],
        "services": ["dsl-supervision"],
        "accepting": True,
        "colour": (11, 79, 138),
    },
    {
        "title": "Daniel Okafor",
        "username": "daniel.okafor",
        "job_title": "Senior Child Protection School Liaison Officer",
        "biography": "<p>Daniel spent fifteen years in children's social care and now supports "
        "secondary school DSLs with thresholds, risk management and working with other "
        "agencies.</p>",
        "specialisms": ["Secondary schools", "Thresholds", "Contextual safeguarding"],
        "roles": ["dsl"],
        "services": ["dsl-supervision"],
        "accepting": True,
        "colour": (11, 107, 51),
    },
    {
        "title": "Siobhan Murphy",
        "username": "siobhan.murphy",
        "job_title": "Attendance and Welfare Supervisor",
        "biography": "<p>Siobhan led an education welfare team and supervises attendance leads "
        "and school welfare officers on legislation, registers and Children Missing "
        "Education.</p>",
        "specialisms": ["Children Missing Education", "Attendance legislation", "Registers"],
        "roles": ["attendance-lead", "school-welfare-officer"],
        "services": ["attendance-supervision"],
        "accepting": True,
        "colour": (138, 58, 0),
    },
    {
        "title": "Tom Whitfield",
        "username": "tom.whitfield",
        "job_title": "Child Protection School Liaison Officer",
        "biography": "<p>Tom is a former deputy headteacher who supervises DSLs and attendance "
        "leads, often in small rural schools where one person holds both roles.</p>",
        "specialisms": ["Rural schools", "Governing bodies", "Staffing issues"],
        "roles": ["dsl", "attendance-lead"],
        "services": ["dsl-supervision", "attendance-supervision"],
        "accepting": True,
        "colour": (90, 40, 120),
    },
    {
        "title": "Priya Sharma",
        "username": "priya.sharma",
        "job_title": "Safeguarding and Attendance Welfare Officer",
        "biography": "<p>Priya supports school welfare officers and DSLs in multi-academy "
        "trusts, with a focus on diversity and inclusion and community issues.</p>",
        "specialisms": ["Diversity and inclusion", "Community issues", "Multi-academy trusts"],
        "roles": ["dsl", "school-welfare-officer"],
        "services": ["dsl-supervision", "attendance-supervision"],
        "accepting": True,
        "colour": (150, 20, 60),
    },
    {
        "title": "Gareth Evans",
        "username": "gareth.evans",
        "job_title": "Child Protection School Liaison Officer (part-time)",
        "biography": "<p>Gareth supervises DSLs in further education and alternative provision. "
        "His diary is full this term; his profile stays up so schools know he is here.</p>",
        "specialisms": ["Alternative provision", "Further education", "Group supervision"],
        "roles": ["dsl"],
        "services": ["dsl-supervision"],
        "accepting": False,
        "colour": (60, 60, 60),
    },
]

POLICY_BODY = (
    "<h2>1. Definition of safeguarding supervision</h2><p>Safeguarding supervision is the "
    "provision of professional support and learning which enables practitioners to develop "
    "knowledge and competence. It is a process in which a supervisor meets a DSL or DSP and "
    "makes time to reflect on safeguarding practice, review and analyse it, raise concerns and "
    "improve practice. It is separate from line management supervision.</p>"
    "<h2>2. Purpose</h2><ul><li>Review workloads, if needed.</li><li>Discuss and seek guidance "
    "on specific cases.</li><li>Be challenged supportively and constructively within mutually "
    "agreed and accepted boundaries by a professional experienced in safeguarding children."
    "</li><li>Identify and discuss issues relating to the workplace and working practices.</li>"
    "<li>Identify achievements, and support emotional well-being and resilience.</li></ul>"
    "<h2>3. How supervision is arranged</h2><ul><li>Sessions last at least one hour.</li>"
    "<li>The school decides how often sessions happen.</li><li>The school chooses which "
    "member of the team leads the supervision.</li><li>Sessions are held in a confidential "
    "setting chosen by the supervisee.</li><li>A supervision agreement is signed before "
    "sessions start and can be reviewed.</li></ul>"
    "<h2>4. Records</h2><p>There is a clear record of every session. All details of children "
    "are anonymised. The supervisee and the supervisor each hold a copy securely and "
    "confidentially, in line with their organisation's policies and procedures.</p>"
    "<h2>5. What supervision is not</h2><p>The role of supervision is to help DSLs be "
    "reflective and to support them in problem solving and finding solutions, rather than to "
    "be directive. As the supervisor has no access to previous or current children's services "
    "information about a child, they cannot give case management or direction; such matters "
    "are signposted, for example to the Child Protection Consultation Hub.</p>"
)

PRIVACY_BODY = (
    "<h2>Who we are</h2><p>The Safeguarding Supervision Service is part of the local "
    "authority, which is the data controller for the information described here.</p>"
    "<h2>What we hold</h2><p>For bookings: your school's name and URN, your name, work email "
    "address and role, and the sessions you book. For each session: a record of the discussion "
    "in which all details of children are anonymised.</p>"
    "<h2>Why</h2><p>To provide the supervision your school has asked for (public task), and to "
    "invoice your school (contract).</p>"
    "<h2>How long</h2><p>Session records are kept for the retention period set by the service "
    "and then deleted or anonymised. Booking and invoice data is kept for six years.</p>"
    "<h2>Your rights</h2><p>You may ask for a copy of what we hold about you, and for "
    "corrections. Supervisees can download everything held about them from their booking "
    "page. Contact the service inbox or the council's data protection officer.</p>"
)

ACCESSIBILITY_BODY = (
    "<p>This website is run by the local authority's safeguarding supervision service. We want "
    "as many people as possible to be able to use it: you should be able to zoom to 400% "
    "without text spilling off the screen, navigate the site using just a keyboard, and use a "
    "screen reader.</p><h2>How accessible this website is</h2><p>We aim to meet the Web "
    "Content Accessibility Guidelines version 2.2 AA standard. We know of no failures at "
    "present.</p><h2>Reporting problems</h2><p>If you find a problem, email the service inbox. "
    "If you are not happy with our response, contact the Equality Advisory and Support Service "
    "(EASS).</p>"
)

# --- Content from the seeds added after the first demo sites were built -----------------------
# Each entry is (model name, page slug, field, marker, HTML). ``seed_demo`` appends the HTML to
# that field of that page when the marker is not there yet, and publishes, so running it again
# on an existing site tops the page up once and never duplicates anything.

WHY_SUPERVISION = (
    "<h2>Why supervision matters</h2><p>The importance of supervision for staff who work with "
    "children and families where there are child protection or safeguarding concerns is stated "
    "clearly in the national legislative framework and in the findings of Serious Case Reviews. "
    "Serious Case Reviews into child deaths repeatedly emphasise the importance of professional "
    "supervision. Recommendation 45 of Lord Laming's 2003 report into the death of Victoria "
    "Climbié stated that all staff working with children should undergo regular "
    "supervision.</p>"
)

COMPETENT_SUPERVISOR = (
    "<p>Every session is dedicated supervision time with an occupationally competent "
    "supervisor, following a clear supervision policy and a planned, well-structured "
    "session.</p>"
)

DSL_OUTCOMES = (
    "<p>Supervision for Designated Safeguarding Leads will also:</p><ul><li>ensure legislation, "
    "policies and procedures are understood and followed</li><li>offer advice and guidance on "
    "complex cases</li></ul>"
)

CONSULTATION_HUB_POINTER = (
    "<h2>Concerns about a particular child: the Consultation Hub</h2><p>Supervision is not the "
    "place for case direction. If you have safeguarding concerns about a child who is not "
    'currently known to children\'s services, use <a href="/consultation-hub/">the Child '
    "Protection Consultation Hub</a>, a separate pathway.</p>"
)

ATTENDANCE_PRICE_NOTE = (
    "<p>Where the price comes from: the service documents set prices only for the Child "
    "Protection School Liaison (CPSLO) sessions, £60 for an hour and £80 for 90 minutes. "
    "Attendance supervision is charged at those same rates, which the team keeps in its price "
    "table; the prices shown on this page come from that table.</p>"
)

CONSULTATION_HUB = {
    "title": "The Consultation Hub",
    "slug": "consultation-hub",
    "introduction": "A separate pathway for Designated Safeguarding Leads to discuss a specific "
    "concern about a child.",
    "body": "<p>The Child Protection School Liaison team is part of the Consultation Hub. The "
    "Hub is a service for Designated Safeguarding Leads and Designated Persons who have "
    "safeguarding concerns about a child who is not currently working with children's "
    "services. It is the pathway to discuss those concerns.</p><p>The Hub is separate from "
    "supervision: supervision is reflective and not directive, and your supervisor cannot "
    "give case direction about a child.</p><h2>How to reach the Consultation Hub</h2><ul><li>"
    "Email or phone the team using the contact details at the foot of every page and say that "
    "you need the Consultation Hub.</li><li>Have your school's details and your own role to "
    "hand; share only what is needed about the child.</li><li>If a child is at immediate risk "
    "of harm, contact children's services or the police straight away, not the Hub.</li></ul>",
}

CONTENT_TOP_UPS = [
    ("HomePage", None, "body", "Recommendation 45", WHY_SUPERVISION),
    ("ServicePage", "dsl-supervision", "purpose", "ensure legislation, policies", DSL_OUTCOMES),
    (
        "ServicePage",
        "dsl-supervision",
        "session_format",
        "occupationally competent",
        COMPETENT_SUPERVISOR,
    ),
    (
        "ServicePage",
        "dsl-supervision",
        "purpose",
        "Consultation Hub</a>",
        CONSULTATION_HUB_POINTER,
    ),
    (
        "ServicePage",
        "attendance-supervision",
        "session_format",
        "occupationally competent",
        COMPETENT_SUPERVISOR,
    ),
    (
        "ServicePage",
        "attendance-supervision",
        "session_format",
        "Where the price comes from",
        ATTENDANCE_PRICE_NOTE,
    ),
]

#: Roles added later; ``seed_demo`` creates them and adds them to the pages named.
ADDED_ROLES = [
    (
        "School attendance officer",
        "school-attendance-officer",
        ["attendance-supervision"],
        ["siobhan.murphy", "tom.whitfield"],
    ),
]
