"""Word lists for :mod:`netgraph.sample.dataset`: names, places, sectors, companies and notes.

Everything here is plain data. The lists are ordered and never shuffled in place, so the
generator stays deterministic for a given seed.
"""

from __future__ import annotations

import unicodedata

import numpy as np

ME_NAME = "Alex Morgan"
ME_EMAIL = "alex@morgan-advisory.com"
ME_COMPANY = "Morgan Advisory"
TEAM_DOMAIN = "morgan-advisory.com"
TEAM_TITLES = ("Associate", "Operations Lead")

# "Alex" and "Morgan" are deliberately absent so no generated name can equal ME_NAME.
FIRST_NAMES = (
    "Aarav", "Abena", "Agnieszka", "Ahmed", "Aisha", "Akira", "Amani", "Amara", "Amelia", "Ana",
    "Ananya", "Andrés", "Anja", "Arjun", "Astrid", "Ayşe", "Beatriz", "Benjamin", "Bilal",
    "Björn", "Camille", "Carla", "Carlos", "Carmen", "Chen", "Chiara", "Chidi", "Chloé",
    "Ciarán", "Daniel", "Daniela", "David", "Deepika", "Diego", "Dmitri", "Dong-hyun", "Elena",
    "Elif", "Emeka", "Emma", "Erik", "Fatima", "Felix", "Fernanda", "Finn", "François", "Freya",
    "Gabriel", "Giulia", "Gökhan", "Gonçalo", "Grace", "Hana", "Hannah", "Haruto", "Hassan",
    "Hélène", "Hiroshi", "Ibrahim", "Inês", "Ingrid", "Isabel", "Ivan", "Jakub", "James",
    "Javier", "Ji-woo", "Jia", "Joaquín", "João", "Jonas", "José", "Julia", "Kai", "Karim",
    "Katarzyna", "Kenji", "Kofi", "Kwame", "Lars", "Laura", "Layla", "Léa", "Leila", "Lena",
    "Liam", "Linh", "Lucas", "Lucía", "Luis", "Łukasz", "Maja", "Malik", "Marco", "María",
    "Mariam", "Mateo", "Matteo", "Maya", "Meera", "Mehmet", "Mei", "Mia", "Min-jun", "Minh",
    "Mohammed", "Nadia", "Naledi", "Nikhil", "Nikolai", "Nina", "Noah", "Noor", "Nora",
    "Olivia", "Oluwaseun", "Omar", "Oscar", "Paolo", "Pedro", "Priya", "Rafael", "Rahul",
    "Ravi", "Renée", "Rohan", "Rosa", "Sakura", "Samuel", "Sara", "Sebastian", "Seo-yeon",
    "Shreya", "Siobhan", "Sofia", "Søren", "Sunita", "Tariq", "Thabo", "Thomas", "Tomás",
    "Valentina", "Victor", "Vikram", "Wanjiru", "Wei", "Yara", "Yui", "Yuki", "Yusuf", "Zara",
    "Zoë",
)

LAST_NAMES = (
    "Abe", "Adeyemi", "Álvarez", "Andersson", "Aziz", "Bakker", "Becker", "Bernard", "Bianchi",
    "Bose", "Brown", "Castro", "Chen", "Choi", "Chopra", "Cohen", "Costa", "Das", "Davies",
    "de Vries", "Demir", "Dlamini", "Dubois", "Evans", "Farouk", "Ferreira", "Fernández",
    "Fischer", "Flores", "Friedman", "García", "Goh", "Gómez", "Gupta", "Haddad", "Hansen",
    "Herrera", "Ho", "Hoffmann", "Horváth", "Huang", "Hussain", "Ito", "Iyer", "Janssens",
    "Jansen", "Jensen", "Johansson", "Johnson", "Jones", "Joshi", "Jovanović", "Kamau",
    "Kapoor", "Kaya", "Kelly", "Khan", "Kim", "Kobayashi", "Korhonen", "Kovačić", "Kowalski",
    "Kumar", "Larsen", "Le", "Lee", "Lefèvre", "Levi", "Li", "Lim", "Liu", "López",
    "Malhotra", "Mansour", "Martin", "Martínez", "Medina", "Mehta", "Mendoza", "Mensah",
    "Morales", "Moreau", "Mori", "Müller", "Murphy", "Mwangi", "Nair", "Nakamura", "Nasser",
    "Ndlovu", "Ng", "Nguyen", "Nielsen", "Nilsson", "Nkosi", "Novák", "Nowak", "O'Brien",
    "Odhiambo", "Okafor", "Okonkwo", "Oliveira", "Ortiz", "Owusu", "Papadopoulos", "Park",
    "Patel", "Peeters", "Pereira", "Pérez", "Petrov", "Pham", "Popescu", "Rahman", "Ramírez",
    "Reddy", "Ricci", "Rivera", "Rojas", "Romero", "Rosen", "Rossi", "Russo", "Saleh",
    "Sánchez", "Santos", "Sato", "Schmidt", "Schneider", "Sharma", "Silva", "Singh", "Smith",
    "Şahin", "Sørensen", "Suzuki", "Takahashi", "Tan", "Tanaka", "Taylor", "Thompson",
    "Torres", "Tran", "van der Berg", "Vargas", "Virtanen", "Visser", "Walsh", "Wang",
    "Watanabe", "Weber", "Williams", "Wilson", "Wiśniewski", "Wójcik", "Wong", "Yamamoto",
    "Yang", "Yılmaz", "Zhang",
)

#: ASCII folding for letters that Unicode NFKD does not decompose.
FOLD = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "ł": "l",
                      "Ł": "L", "đ": "d", "œ": "oe", "ı": "i"})

#: city, country, sector, phone prefix, email tld, company suffixes, titles
TEMPLATES: tuple[tuple[str, str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("London", "United Kingdom", "venture capital", "+44 20", "co.uk",
     ("Capital", "Ventures", "Partners"),
     ("Partner", "Principal", "Associate", "Venture Partner", "Analyst", "Managing Director")),
    ("Berlin", "Germany", "fintech", "+49 30", "de", ("Pay", "Bank", "Finance", "Ledger"),
     ("CEO", "CTO", "Head of Product", "Engineering Lead", "Compliance Officer",
      "Product Manager")),
    ("San Francisco", "United States", "devtools", "+1 415", "dev",
     ("Labs", "Cloud", "Systems", "Dev"),
     ("Founder", "Staff Engineer", "DevRel Lead", "VP Engineering", "Product Manager",
      "Solutions Architect")),
    ("Paris", "France", "design", "+33 1", "fr", ("Studio", "Atelier", "Design"),
     ("Creative Director", "Design Lead", "UX Researcher", "Art Director", "Product Designer")),
    ("New York", "United States", "recruiting", "+1 212", "com", ("Talent", "Search", "People"),
     ("Executive Recruiter", "Talent Partner", "Head of People", "Sourcer", "Managing Partner")),
    ("Lisbon", "Portugal", "founders", "+351 21", "pt", ("Labs", "HQ", "Works"),
     ("Founder", "Co-founder", "CEO", "COO", "Growth Lead")),
    ("Singapore", "Singapore", "logistics", "+65 6", "sg", ("Logistics", "Freight", "Supply"),
     ("Operations Director", "Supply Chain Lead", "CEO", "Head of Sales", "Fleet Manager")),
    ("Stockholm", "Sweden", "climate tech", "+46 8", "se", ("Energy", "Climate", "Carbon"),
     ("Founder", "Head of Partnerships", "Sustainability Lead", "CTO", "Research Scientist")),
    ("Toronto", "Canada", "healthtech", "+1 416", "ca", ("Health", "Care", "Bio"),
     ("CEO", "Medical Director", "Product Lead", "Data Scientist", "Head of Clinical")),
    ("Bangalore", "India", "SaaS", "+91 80", "in", ("Soft", "Cloud", "Tech"),
     ("Founder", "VP Sales", "Engineering Manager", "Customer Success Lead", "CTO")),
    ("São Paulo", "Brazil", "e-commerce", "+55 11", "com.br", ("Commerce", "Shop", "Market"),
     ("CEO", "Head of Growth", "Marketplace Lead", "CFO", "Category Manager")),
    ("Tokyo", "Japan", "robotics", "+81 3", "jp", ("Robotics", "Automation", "Dynamics"),
     ("Research Lead", "CEO", "Hardware Engineer", "Business Development", "CTO")),
    ("Nairobi", "Kenya", "mobile payments", "+254 20", "co.ke", ("Pay", "Mobile", "Money"),
     ("Founder", "Head of Partnerships", "Country Manager", "Product Lead", "CFO")),
    ("Amsterdam", "Netherlands", "marketplaces", "+31 20", "nl", ("Market", "Trade", "Hub"),
     ("COO", "Head of Supply", "Growth Lead", "Founder", "Data Lead")),
)

BRANDS = (
    "Acme", "Atlas", "Aurora", "Beacon", "Bluefin", "Brightline", "Cedar", "Cobalt", "Copper",
    "Delta", "Driftwood", "Ember", "Evergreen", "Falcon", "Fjord", "Granite", "Harbor",
    "Hawthorne", "Helix", "Indigo", "Iris", "Jade", "Juniper", "Kestrel", "Keystone", "Kite",
    "Lattice", "Lighthouse", "Lumen", "Maple", "Meridian", "Nimbus", "Northwind", "Nova",
    "Oak", "Onyx", "Orbit", "Pine", "Pioneer", "Quartz", "Quill", "Radiant", "River", "Sable",
    "Sierra", "Summit", "Tandem", "Tide", "Umbra", "Union", "Vantage", "Vela", "Vertex",
    "Willow", "Wren", "Yarrow", "Zenith", "Zephyr",
)

PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "icloud.com")

EXTRA_TAGS = ("angel", "speaker", "alumni", "hiring", "investor", "advisor", "mentor", "founder")

CONTACT_NOTES = (
    "Met at Web Summit", "Former colleague", "Kids at the same school",
    "Board member at a portfolio company", "Runs a monthly founders dinner", "Prefers WhatsApp",
    "Ex-McKinsey", "Angel investor, cheques up to 50k", "Met on a panel", "Climbing partner",
)

#: interaction notes per kind, in the order of KINDS; None means a blank note
INTERACTION_NOTES = (
    ("Coffee", "Lunch", "Quarterly catch-up", "Pitch review", None, None, None, None),
    ("Quick call", "Catch-up call", "Reference check", "Intro call", None, None, None, None),
    ("Shared the deck", "Follow-up", "Intro thread", "Re: proposal", None, None, None, None),
    ("LinkedIn message", "WhatsApp", "Congrats on the new role", "Quick question", None, None,
     None, None),
    ("Demo day", "Meetup", "Conference dinner", "Launch party", None, None, None, None),
    ("Sent a gift", "Birthday wishes", "Shared an article", None, None, None, None, None),
)

GROUP_NOTES = ("Team sync", "Workshop", "Board meeting", "Dinner", "Offsite planning", None)

EVENTS = ("Web Summit", "Slush", "SaaStr", "VivaTech", "Money20/20", "TechCrunch Disrupt")

INTRO_NOTES = (
    "Fundraising intro", "Hiring: senior engineer", "Potential customer", "Advisor search",
    "Partnership", "Design agency referral", "Co-founder search", "Pilot customer", None,
)


def fold(text: str) -> str:
    """ASCII slug of a name part: ``"Álvarez"`` -> ``"alvarez"``, ``"O'Brien"`` -> ``"obrien"``."""
    text = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def person_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """``n`` unique full names and matching unique ASCII slugs (``"jose.alvarez"``).

    Pairs of first and last names are drawn without replacement; once they run out, the next
    round repeats them with a numeric suffix (``"José Álvarez 2"``, ``"jose.alvarez2"``).
    """
    ffold, lfold = [fold(x) for x in FIRST_NAMES], [fold(x) for x in LAST_NAMES]
    pool = len(FIRST_NAMES) * len(LAST_NAMES)
    idx = np.concatenate([rng.permutation(pool) for _ in range(-(-n // pool))])[:n]
    rounds = (np.arange(n) // pool).tolist()
    names, slugs = [], []
    for i, r in zip(idx.tolist(), rounds, strict=True):
        f, g = divmod(i, len(LAST_NAMES))
        names.append(f"{FIRST_NAMES[f]} {LAST_NAMES[g]}" + (f" {r + 1}" if r else ""))
        slugs.append(f"{ffold[f]}.{lfold[g]}" + (str(r + 1) if r else ""))
    return names, slugs
