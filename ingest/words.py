"""The word lists that entity rules share: titles and roles, the words of organisations and groups, filler.

All lower case; callers fold a word (and strip its dots) before looking it up.
"""

from __future__ import annotations

__all__ = ["GROUP_WORDS", "LEADERS", "MINOR", "MONTHS_AND_DAYS", "NOT_A_NAME", "ORG_SUFFIXES", "PORTFOLIO_WORDS", "TITLES",
           "TITLE_WORDS"]

# Titles and roles written before a name ("Finance Minister ...", "Shri ...", "Mr ...").
TITLES = (
    "Minister", "Chief Minister", "Prime Minister", "President", "Vice-President", "Vice President", "CEO",
    "Chief Executive", "Chairman", "Chairwoman", "Chairperson", "Director", "Governor", "Secretary", "Senator",
    "Mayor", "Spokesperson", "Spokesman", "Spokeswoman", "Founder", "Chancellor", "King", "Queen", "Prince",
    "Princess", "Emir", "Sheikh", "Ayatollah", "Pope", "Premier", "Judge", "Justice", "Shri", "Sri", "Smt", "Dr",
    "Mr", "Mrs", "Ms", "Miss", "Sir", "Dame", "Lord", "Lady", "Gen", "General", "Lt", "Col", "Colonel", "Capt",
    "Captain", "Admiral", "Sen", "Rep", "Gov", "Commissioner", "Ambassador", "Raksha Mantri", "Mantri",
    "Managing Director", "Officer", "Head", "Adviser", "Advisor", "Professor", "Prof", "Treasurer",
    "Representative", "Speaker", "Leader", "Chief", "Economist", "Analyst", "Deputy", "Envoy", "Comptroller",
    "Undersecretary", "Under-Secretary", "Vice-Chairman", "Vice Chairman", "Counsel", "Attorney", "Exchequer",
    "Counterpart",
)
TITLE_WORDS = frozenset(w.casefold() for t in TITLES for w in t.split())

# Words of job titles that name a portfolio ("Minister for Defence Procurement Alistair Rowe"): cut in front
# of a person's name, but kept in an organisation's ("Defence Research and Development Organisation").
PORTFOLIO_WORDS = TITLE_WORDS | {
    "defence", "defense", "finance", "foreign", "home", "union", "state", "deputy", "former", "executive", "chief",
    "senior", "procurement", "development", "technology", "energy", "health", "production", "research", "affairs",
    "operations", "trade", "commerce", "industry", "external", "interior", "financial", "technical", "company",
    "treasury", "agriculture", "economy", "economic", "oil", "petroleum", "labour", "labor", "justice", "exchequer",
    "cabinet", "central", "federal", "national", "assistant", "acting", "general", "vice", "under", "new",
    "outgoing", "incoming", "board", "bank", "fed", "reserve", "opposition", "party", "mines", "planning",
    "information", "industrial", "transport", "education", "environment", "communications", "budget",
}

# Words that open a capitalised span but are not part of the name after them.
LEADERS = frozenset("about source shares state-run state-owned privately-held listed unit units the a an "
                    "in on at for with from to by and but as after before under when while if".split())

# Short words allowed inside a name ("Bank of India", "Federation of Italian Companies for ...").
MINOR = frozenset({"of", "for", "and", "the", "de", "du", "&", "on", "in"})

MONTHS_AND_DAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
NOT_A_NAME = MONTHS_AND_DAYS | frozenset(
    "the a an this that these those in on at for with he she it they we i you his her its their our my your "
    "there here if but and or so then also however meanwhile first now today yesterday tomorrow still even just "
    "only already while when where what who how why all some many most more every each both".split()
)

# Words that end an organisation's name ("... Ltd", "... Federation").
ORG_SUFFIXES = (
    "Committee", "Mission", "Organisation", "Organization",
    "Ltd", "Ltd.", "Limited", "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Company", "Co.", "LLC", "LLP", "PLC",
    "plc", "AG", "GmbH", "SA", "S.A.", "NV", "N.V.", "Group", "Holdings", "Bank", "Ministry", "Department",
    "Agency", "Authority", "Commission", "Council", "Association", "Society", "Institute", "University",
    "Foundation", "Federation", "Board", "Bureau", "Party", "Police", "Court", "Guild", "Union", "Consortium",
    "Technologies", "Systems", "Industries", "Airlines", "Motors", "Pharmaceuticals", "Energy", "Capital",
)

# Words no person's name holds: those of organisations, groups, media, bodies and things.
GROUP_WORDS = frozenset(w.casefold().strip(".") for w in ORG_SUFFIXES) | frozenset("""
    producers exporters importers manufacturers makers traders workers employers growers farmers dealers brokers
    bankers journalists editors publishers broadcasters users owners retailers suppliers investors shareholders
    members partners associates securities holdings trust fund funds services products resources mining minerals
    financial investment investments insurance exchange market markets index reserve national international
    central republic kingdom states congress parliament senate house assembly cabinet church army navy force
    forces guard club league cup open games olympics week act bill treaty accord agreement plan programme program
    project award prize festival summit conference forum centre center hospital school college academy museum
    hotel stadium square palace tower building street road avenue airport port ocean sea river island islands
    mountain mountains gulf bay lake valley news times post journal daily herald tribune gazette television radio
    broadcasting communications network networks airways oil gas petroleum steel chemical chemicals electric
    electronics telecom foods products stores brands media press studios pictures records entertainment
    government ministry embassy consulate administration office treasury federal world global general
    corporation bancorp bancshares financial partners ventures labs laboratories software computer computers
    crude semiconductor semiconductors renewables renewable energie energia solar hydrogen nuclear utilities
    aerospace aviation automotive pharma pharmaceutical biotech therapeutics biosciences genomics healthcare
    medical devices instruments robotics analytics logistics shipping shipyards shipbuilding drilling offshore
    exploration metals chemie textiles beverages brewing breweries realty properties estates hotels resorts
    infrastructure construction engineering cement consulting solutions technologies technology digital data
    cloud telecommunications wireless mobile networks satellite materials plastics packaging insurance
    reinsurance bancorp bancshares capital equity ventures acquisition brothers banque compagnie life guaranty
    enterprise enterprises cities land stockbrokers reuters reuter
    """.split())
