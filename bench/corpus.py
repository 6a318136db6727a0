"""A deterministic press-release corpus, written as JSON lines in the `extract` shape.

Release `i` depends only on (seed, i), so the 10k corpus is the first tenth of the 100k one and the pages
of the ingestion benchmark are releases 0..N-1 of either. Text is drawn from a Zipf-Mandelbrot
distribution over a ranked vocabulary (real function words, then real domain words, then 50,000
synthesised pronounceable words), with each release's topic words and phrases mixed in, so that
keyword and phrase queries hit realistic numbers of documents. Entities recur with Zipf popularity.

Over 400 lines only because of the word tables at the top; the generator itself is short.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "AGENCIES",
    "CATEGORIES",
    "GENERATOR_VERSION",
    "PLACES",
    "Corpus",
    "Vocabulary",
    "corpus_path",
    "describe",
    "write_corpus",
]

# Bump when the output changes, so corpora cached under bench/out/ are rebuilt.
GENERATOR_VERSION = 1
SYNTH_WORDS = 50_000
START = datetime(2023, 1, 1, tzinfo=timezone.utc)
DAYS = 3 * 365 + 1  # 2023-01-01 .. 2025-12-31
MEAN_WORDS = 400

FUNCTION_WORDS = """
the of and to in a for on that said is with by as at from was will be has it its an are have which this
were also been after more than who had their not or would over about into under they year new other
all but we during two up our some between while first per one last three against can through before
such there most both including these where out according so may any well since only each when if
""".split()

DOMAIN_WORDS = """
government minister ministry company market billion million percent growth project announced statement
official officials national international development investment agreement president chief executive
officer board shares quarter revenue profit sector industry policy plan report state district council
committee security energy power infrastructure bank interest rate inflation economy exports trade budget
tax election court police health hospital technology data network services public private region regional
city capital support programme system management global local financial operations customers products
production capacity demand supply prices cost costs funding fund partnership launch launched expansion
strategy results target targets increase decrease record annual month week today officials added
spokesperson director secretary department authority agency federal central union country countries
nations summit meeting talks visit delegation cooperation bilateral framework initiative scheme mission
construction contract contracts tender approval approved regulator regulatory compliance standards
quality research innovation manufacturing factory plant facility facilities jobs employment workers
workforce training skills communities community citizens residents people families children women youth
rural urban villages water food fuel transport logistics shipping port airport railway road highway
bridge housing land property assets portfolio acquisition merger deal deals stake equity debt loan loans
credit lenders investors shareholders dividend earnings margin margins outlook forecast estimate
estimates analysts survey index indices benchmark commodity commodities gold silver steel cement coal oil
gas crude refinery pipeline electricity solar wind hydrogen grid renewable battery batteries vehicle
vehicles electric charging automotive aviation airline airlines passengers freight cargo tourism tourists
hotel hotels travel education students university universities school schools teachers exam examination
sports cricket football tournament championship medal team players coach squad climate emissions carbon
pollution forest forests wildlife biodiversity environment environmental conservation flood floods
drought monsoon rainfall agriculture farmers crop crops wheat rice harvest fertiliser irrigation defence
army navy missile border troops exercise drone drones satellite space orbit rocket telecom spectrum
broadband subscribers software cloud platform digital cybersecurity semiconductor chip chips artificial
intelligence vaccine vaccines patients clinical trial drug drugs treatment disease medical doctors
pharmaceutical insurance pension welfare subsidy subsidies reform reforms law legislation bill act
parliament assembly vote votes opposition party coalition cabinet campaign candidates court judge
verdict hearing petition investigation probe arrested accused case cases customs tariff tariffs imports
shipment shipments deficit surplus currency rupee dollar euro yuan yen exchange reserves bond bonds yield
""".split()

# Per category: topic words (boosted in its releases) and multi-word phrases (for phrase queries).
CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Energy": (("solar", "wind", "grid", "renewable", "hydrogen", "megawatt", "gigawatt", "turbine", "transmission",
                "storage", "electricity", "capacity"),
               ("green hydrogen", "solar power", "wind farm", "power purchase agreement", "battery storage",
                "renewable energy")),
    "Finance": (("shares", "profit", "revenue", "quarter", "dividend", "investors", "bond", "equity", "earnings",
                 "margin", "outlook"),
                ("net profit", "fiscal year", "share price", "annual report", "capital expenditure",
                 "operating income")),
    "Technology": (("software", "cloud", "artificial", "intelligence", "semiconductor", "chip", "data", "platform",
                    "cybersecurity", "digital"),
                   ("artificial intelligence", "data centre", "cloud computing", "machine learning",
                    "digital payments")),
    "Health": (("vaccine", "patients", "clinical", "trial", "hospital", "disease", "treatment", "drug", "medical",
                "doctors"),
               ("clinical trial", "public health", "phase 3", "medical devices", "primary health centres")),
    "Defence": (("army", "navy", "missile", "exercise", "border", "troops", "drone", "procurement", "defence"),
                ("defence ministry", "joint exercise", "air force", "defence exports", "coast guard")),
    "Agriculture": (("farmers", "crop", "wheat", "rice", "monsoon", "fertiliser", "irrigation", "harvest",
                     "agriculture"),
                    ("minimum support price", "food security", "crop insurance", "kharif season")),
    "Politics": (("election", "parliament", "vote", "opposition", "party", "coalition", "cabinet", "campaign"),
                 ("chief minister", "prime minister", "general election", "assembly elections", "no confidence")),
    "Sports": (("cricket", "football", "tournament", "championship", "medal", "coach", "squad", "players"),
               ("world cup", "gold medal", "test match", "home ground")),
    "Environment": (("climate", "emissions", "carbon", "pollution", "forest", "wildlife", "biodiversity"),
                    ("climate change", "air quality", "net zero", "carbon credits", "tiger reserve")),
    "Transport": (("railway", "airport", "metro", "highway", "freight", "passengers", "aviation"),
                  ("high speed rail", "metro line", "dedicated freight corridor", "passenger traffic")),
    "Telecom": (("spectrum", "broadband", "subscribers", "tower", "fibre", "telecom"),
                ("mobile network", "spectrum auction", "fixed wireless access")),
    "Trade": (("exports", "imports", "tariff", "customs", "shipment", "trade"),
              ("free trade agreement", "trade deficit", "export promotion", "supply chains")),
    "Space": (("satellite", "launch", "orbit", "rocket", "mission", "lunar"),
              ("launch vehicle", "space station", "earth observation", "lunar lander")),
    "Automotive": (("vehicle", "electric", "battery", "charging", "sales", "dealers"),
                   ("electric vehicles", "passenger vehicles", "charging stations", "two wheelers")),
    "Education": (("students", "university", "school", "exam", "scholarship", "teachers"),
                  ("higher education", "entrance exam", "skill development", "national education policy")),
    "Mining": (("coal", "iron", "ore", "mine", "lithium", "copper"),
               ("coal production", "critical minerals", "iron ore", "mining lease")),
    "Banking": (("loans", "deposits", "credit", "lender", "repo", "liquidity"),
                ("central bank", "repo rate", "non performing assets", "monetary policy")),
    "Real Estate": (("housing", "property", "residential", "developers", "construction"),
                    ("affordable housing", "real estate", "commercial office space")),
    "Tourism": (("tourists", "hotels", "travel", "visitors", "heritage"),
                ("tourist arrivals", "heritage sites", "cruise terminal")),
    "Pharma": (("drug", "approval", "generic", "regulator", "formulation"),
               ("drug regulator", "generic drugs", "active pharmaceutical ingredients")),
}

# Country -> its cities. 60 countries, most with two or three cities.
PLACES: dict[str, tuple[str, ...]] = {
    "India": ("New Delhi", "Mumbai", "Bengaluru", "Chennai", "Kolkata", "Hyderabad", "Ahmedabad", "Pune", "Jaipur",
              "Lucknow", "Guwahati", "Srinagar"),
    "United States": ("New York", "Washington", "San Francisco", "Chicago", "Boston", "Austin", "Seattle"),
    "United Kingdom": ("London", "Manchester", "Edinburgh"), "Canada": ("Toronto", "Vancouver", "Montreal"),
    "Australia": ("Sydney", "Melbourne", "Canberra"), "Germany": ("Berlin", "Munich", "Frankfurt", "Hamburg"),
    "France": ("Paris", "Lyon", "Marseille"), "Italy": ("Rome", "Milan", "Naples"), "Spain": ("Madrid", "Barcelona"),
    "Japan": ("Tokyo", "Osaka", "Yokohama"), "China": ("Beijing", "Shanghai", "Shenzhen", "Guangzhou"),
    "South Korea": ("Seoul", "Busan", "Incheon"), "Singapore": ("Singapore",), "Indonesia": ("Jakarta", "Surabaya"),
    "Malaysia": ("Kuala Lumpur",), "Thailand": ("Bangkok",), "Vietnam": ("Hanoi", "Ho Chi Minh City"),
    "Philippines": ("Manila",), "Pakistan": ("Islamabad", "Karachi", "Lahore"), "Bangladesh": ("Dhaka", "Chittagong"),
    "Sri Lanka": ("Colombo",), "Nepal": ("Kathmandu",), "Bhutan": ("Thimphu",), "Maldives": ("Male",),
    "Afghanistan": ("Kabul",), "Iran": ("Tehran",), "Iraq": ("Baghdad",), "Israel": ("Jerusalem", "Tel Aviv"),
    "Saudi Arabia": ("Riyadh", "Jeddah"), "United Arab Emirates": ("Dubai", "Abu Dhabi"), "Qatar": ("Doha",),
    "Turkey": ("Ankara", "Istanbul"), "Egypt": ("Cairo",), "Kenya": ("Nairobi", "Mombasa"),
    "Nigeria": ("Lagos", "Abuja"), "South Africa": ("Johannesburg", "Cape Town", "Pretoria"),
    "Ethiopia": ("Addis Ababa",), "Ghana": ("Accra",), "Morocco": ("Rabat", "Casablanca"),
    "Brazil": ("Brasilia", "Sao Paulo", "Rio de Janeiro"), "Argentina": ("Buenos Aires",), "Chile": ("Santiago",),
    "Mexico": ("Mexico City", "Monterrey"), "Colombia": ("Bogota",), "Peru": ("Lima",),
    "Russia": ("Moscow", "Saint Petersburg"), "Ukraine": ("Kyiv",), "Poland": ("Warsaw", "Krakow"),
    "Netherlands": ("Amsterdam", "The Hague"), "Belgium": ("Brussels",), "Switzerland": ("Geneva", "Zurich"),
    "Austria": ("Vienna",), "Sweden": ("Stockholm",), "Norway": ("Oslo",), "Denmark": ("Copenhagen",),
    "Finland": ("Helsinki",), "Ireland": ("Dublin",), "Portugal": ("Lisbon",), "Greece": ("Athens",),
    "New Zealand": ("Wellington", "Auckland"),
}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _day_month(day: datetime) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def _short_month(day: datetime) -> str:
    name = MONTHS[day.month - 1]
    return name if len(name) <= 4 else name[:3] + "."


@dataclass(frozen=True)
class Agency:
    """A wire or newswire: its name, its source name and host, where it files from, and its dateline style."""

    name: str
    source: str
    host: str
    home: tuple[str, ...]  # countries it mostly files from; empty: anywhere
    style: str  # a str.format template over city, CITY, day_month, short, padded and year

    def dateline(self, city: str, day: datetime) -> str:
        return self.style.format(city=city, CITY=city.upper(), day_month=_day_month(day), year=day.year,
                                 short=f"{_short_month(day)} {day.day}", padded=f"{MONTHS[day.month - 1]} {day.day:02d}")


AGENCIES: tuple[Agency, ...] = (
    Agency("ANI", "ani", "www.aninews.in", ("India",), "{city} [India], {day_month} (ANI):"),
    Agency("PTI", "pti", "www.ptinews.com", ("India",), "{CITY}, {short} (PTI)"),
    Agency("IANS", "ians", "ians.in", ("India",), "{city}, {day_month} (IANS)"),
    Agency("PIB", "pib", "pib.gov.in", ("India",), "{city}, {day_month}, {year} (PIB) --"),
    Agency("PR Newswire", "prnewswire", "www.prnewswire.com", (), "{CITY}, {day_month}, {year} /PRNewswire/ --"),
    Agency("Business Wire", "businesswire", "www.businesswire.com", ("United States", "United Kingdom"),
           "{CITY}--(BUSINESS WIRE)--{short}, {year}--"),
    Agency("GlobeNewswire", "globenewswire", "www.globenewswire.com", ("Canada", "United States"),
           "{CITY}, {padded}, {year} (GLOBE NEWSWIRE) --"),
    Agency("Reuters", "reuters", "www.reuters.com", (), "{CITY}, {day_month} (Reuters) -"),
    Agency("AP", "ap", "apnews.com", (), "{CITY} (AP) —"),
    Agency("AFP", "afp", "www.afp.com", ("France",), "{city} (AFP) -"),
    Agency("Xinhua", "xinhua", "english.news.cn", ("China",), "{CITY}, {day_month} (Xinhua) --"),
    Agency("Yonhap", "yonhap", "en.yna.co.kr", ("South Korea",), "{CITY}, {day_month} (Yonhap) --"),
    Agency("dpa", "dpa", "www.dpa-international.com", ("Germany",), "{city} (dpa) -"),
    Agency("ANSA", "ansa", "www.ansa.it", ("Italy",), "{CITY}, {day_month} (ANSA) -"),
)
# Share of releases per agency, in AGENCIES order: Indian wires and the newswires dominate real feeds.
AGENCY_WEIGHTS = (16, 14, 9, 7, 12, 8, 7, 6, 5, 4, 4, 3, 3, 2)

FIRST_NAMES = """
Rajesh Priya Amit Sunita Vikram Anjali Arjun Kavita Sanjay Meera Rahul Deepa Anil Lakshmi Suresh Pooja
Ravi Neha Manoj Shalini Karthik Divya John Mary James Patricia Robert Jennifer Michael Linda David Susan
William Karen Thomas Sarah Daniel Emily Mark Laura Paul Anna Peter Claire Hans Katrin Stefan Julia Marco
Giulia Luca Chiara Pierre Camille Jean Sophie Carlos Lucia Javier Elena Hiroshi Yuki Kenji Aiko Wei Li Ming
Xiu Min-jun Seo-yeon Ji-ho Hye-jin Ahmed Fatima Omar Aisha Hassan Leila Oluwaseun Amara Kwame Nia Thabo Zanele
Olga Dmitri Anastasia Sergei Piotr Agnieszka Lars Ingrid Sven Astrid Joao Ana Mateus Beatriz Nguyen Thi
""".split()

LAST_NAMES = """
Sharma Verma Gupta Singh Kumar Patel Reddy Iyer Nair Menon Rao Das Banerjee Chatterjee Mukherjee Joshi
Kulkarni Desai Mehta Shah Agarwal Bhat Pillai Chopra Malhotra Kapoor Saxena Mishra Tiwari Pandey Smith
Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White
Harris Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell
Roberts Carter Phillips Evans Turner Muller Schmidt Schneider Fischer Weber Wagner Becker Rossi Russo
Ferrari Esposito Bianchi Romano Dubois Laurent Moreau Lefebvre Garcia Martinez Rodriguez Lopez Gonzalez
Fernandez Tanaka Suzuki Takahashi Watanabe Yamamoto Wang Zhang Liu Chen Yang Huang Kim Park Choi Jung Kang
Khan Hussain Rahman Ali Okafor Adeyemi Mensah Nkosi Dlamini Ivanov Petrov Kowalski Nowak Lindqvist
Johansson Hansen Silva Santos Oliveira Costa Pereira Tran Le Pham
""".split()

TITLES = ("Minister", "Chief Executive", "Chairman", "Secretary", "Director", "spokesperson", "Governor",
          "Managing Director", "President", "Commissioner")

# Real institutions with the acronyms press releases define for them.
INSTITUTIONS = (
    ("Indian Space Research Organisation", "ISRO"), ("Reserve Bank of India", "RBI"),
    ("Securities and Exchange Board of India", "SEBI"), ("World Health Organization", "WHO"),
    ("International Monetary Fund", "IMF"), ("European Central Bank", "ECB"),
    ("Food and Agriculture Organization", "FAO"), ("National Highways Authority of India", "NHAI"),
    ("Defence Research and Development Organisation", "DRDO"), ("Society of Indian Defence Manufacturers", "SIDM"),
    ("International Energy Agency", "IEA"), ("World Trade Organization", "WTO"),
    ("Asian Development Bank", "ADB"), ("Confederation of Indian Industry", "CII"),
    ("Federation of Indian Chambers of Commerce and Industry", "FICCI"), ("National Stock Exchange", "NSE"),
    ("Bombay Stock Exchange", "BSE"), ("Central Board of Secondary Education", "CBSE"),
    ("Indian Council of Medical Research", "ICMR"), ("Oil and Natural Gas Corporation", "ONGC"),
    ("National Thermal Power Corporation", "NTPC"), ("Airports Authority of India", "AAI"),
    ("Telecom Regulatory Authority of India", "TRAI"), ("Food and Drug Administration", "FDA"),
    ("European Medicines Agency", "EMA"), ("Organisation for Economic Co-operation and Development", "OECD"),
    ("Association of Southeast Asian Nations", "ASEAN"), ("United Nations Development Programme", "UNDP"),
    ("International Solar Alliance", "ISA"), ("Small Industries Development Bank of India", "SIDBI"),
)
COMPANY_TRADES = ("Energy", "Power", "Biologics", "Pharmaceuticals", "Technologies", "Systems", "Motors",
                  "Steel", "Infrastructure", "Logistics", "Capital", "Finance", "Telecom", "Foods", "Chemicals",
                  "Aerospace", "Mining", "Renewables", "Networks", "Healthcare", "Semiconductors", "Realty")
COMPANY_SUFFIXES = ("Ltd", "Limited", "Inc.", "Corp.", "Group", "Holdings", "AG", "SA", "plc", "Pvt Ltd")

_ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "b", "d", "k",
           "l", "m", "n", "r", "s", "t", "br", "dr", "gr", "pr", "tr", "st", "sh", "ch", "th", "pl")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "i", "o", "u", "ai", "ea", "ou")
_CODAS = ("", "", "", "n", "r", "l", "s", "m", "nd", "st", "rk", "x")


def _synth_words(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """`count` distinct pronounceable words (2-4 syllables) that are not real words of the tables."""
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
        if word not in seen:
            seen.add(word)
            words.append(word)
    # shorter words are the commoner ones (Zipf's law of abbreviation), so they take the higher ranks
    words.sort(key=len)
    return words


class Vocabulary:
    """The ranked word list and its Zipf-Mandelbrot cumulative weights, plus the entity tables."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"vocabulary:{seed}")
        topic_words = [w for words, _ in CATEGORIES.values() for w in words]
        real = list(dict.fromkeys(FUNCTION_WORDS + DOMAIN_WORDS + topic_words))
        self.synthetic = _synth_words(SYNTH_WORDS, rng, set(real))
        self.words: list[str] = real + self.synthetic
        self.real_count = len(real)
        ranks = np.arange(1, len(self.words) + 1, dtype=np.float64)
        weights = 1.0 / (ranks + 2.7) ** 1.05  # Mandelbrot's shift flattens the head, as in real text
        self.cdf = np.cumsum(weights) / weights.sum()
        people = {f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3000)}
        self.people: list[str] = sorted(people)
        rng.shuffle(self.people)
        companies = {f"{w.capitalize()} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_SUFFIXES)}"
                     for w in self.synthetic[5000:6200]}  # mid-length words: the shortest read as typos
        self.organizations: list[tuple[str, str]] = list(INSTITUTIONS) + [(c, _acronym(c)) for c in sorted(companies)]
        rng.shuffle(self.organizations)
        # Entities recur with Zipf(0.8) popularity by position: the most quoted person is in about 5% of
        # releases, as a country's prime minister is in a national wire's.
        most = max(len(self.people), len(self.organizations))
        self.popularity: list[float] = np.cumsum(1.0 / np.arange(1, most + 1) ** 0.8).tolist()

    def popular(self, rng: random.Random, items: list[Any], n: int) -> list[Any]:
        """`n` picks from `items` (people or organisations), the first ones the most often."""
        return rng.choices(items, cum_weights=self.popularity[:len(items)], k=n)

    def sample(self, rng: np.random.Generator, n: int) -> list[str]:
        positions = np.searchsorted(self.cdf, rng.random(n))
        words = self.words
        return [words[p] for p in np.minimum(positions, len(words) - 1)]


def _acronym(name: str) -> str:
    # "Kalomer Energy Ltd" -> "KEL": initials of the capitalised words, as companies abbreviate themselves
    return "".join(part[0] for part in name.split() if part[0].isupper())


@dataclass(frozen=True)
class Corpus:
    """Releases of one seed: `release(i)` is the same for a given seed whatever else is generated."""

    seed: int = 7

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.seed)

    def releases(self, count: int) -> Iterator[dict[str, Any]]:
        for i in range(count):
            yield self.release(i)

    def release(self, i: int) -> dict[str, Any]:
        rng = random.Random(f"release:{self.seed}:{i}")
        # about 3% are syndicated copies of an earlier story, credited to another agency, as wires reprint
        if i > 100 and rng.random() < 0.03:
            original = self.release(rng.randrange(i - 100, i))
            return self._copy(original, i, rng)
        return self._original(i, rng)

    def _original(self, i: int, rng: random.Random) -> dict[str, Any]:
        vocab = self.vocabulary
        words_rng = np.random.default_rng([self.seed, i])
        agency = rng.choices(AGENCIES, weights=AGENCY_WEIGHTS)[0]
        country = rng.choice(agency.home) if agency.home and rng.random() < 0.8 else rng.choice(list(PLACES))
        city = rng.choice(PLACES[country])
        published = START + timedelta(seconds=rng.randrange(DAYS * 86400))
        categories = rng.sample(list(CATEGORIES), rng.choice((1, 1, 1, 2, 2, 3)))
        people = vocab.popular(rng, vocab.people, rng.randint(0, 4))
        orgs = vocab.popular(rng, vocab.organizations, rng.randint(1, 4))
        elsewhere = [rng.choice(PLACES[rng.choice(list(PLACES))]) for _ in range(rng.randint(0, 3))]
        places = list(dict.fromkeys([city, *elsewhere]))
        # lognormal(sigma 0.5) has mean exp(mu + 0.125); the names, figures and phrases added to the drawn
        # words make up the last 13% of MEAN_WORDS
        length = int(min(max(rng.lognormvariate(np.log(MEAN_WORDS * 0.87) - 0.125, 0.5), 50), 2500))
        topic_words = [w for c in categories for w in CATEGORIES[c][0]]
        topic_phrases = [p for c in categories for p in CATEGORIES[c][1]]
        dateline = agency.dateline(city, published)
        paragraphs = self._paragraphs(length, rng, words_rng, topic_words, topic_phrases, people, orgs, places)
        paragraphs[0] = f"{dateline} {paragraphs[0]}"
        title = self._title(rng, words_rng, topic_words, topic_phrases, orgs, places)
        slug = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:80]
        return {
            "id": f"bench-{self.seed}-{i:06d}",
            "url": f"https://{agency.host}/news/{published:%Y/%m}/{slug}-{i}.html",
            "title": title,
            "body": "\n\n".join(paragraphs),
            "published": published.isoformat(),
            "agency": agency.name,
            "source": agency.source,
            "dateline": {"raw": dateline.rstrip(" -—:"), "city": city, "country": country},
            "people": list(dict.fromkeys(people)),
            "organizations": list(dict.fromkeys(name for name, _ in orgs)),
            "places": places,
            "categories": categories,
            "acronyms": {short: name for name, short in orgs if len(short) >= 2},
            "language": "en",
        }

    def _copy(self, original: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
        agency = rng.choices(AGENCIES, weights=AGENCY_WEIGHTS)[0]
        published = datetime.fromisoformat(original["published"]) + timedelta(minutes=rng.randint(5, 600))
        body = original["body"].split("\n\n")
        kept = body[: max(2, len(body) - rng.randint(0, 2))]  # reprints trim the last paragraphs
        return {**original, "id": f"bench-{self.seed}-{i:06d}",
                "url": f"https://{agency.host}/news/{published:%Y/%m}/copy-{i}.html", "agency": agency.name,
                "source": agency.source, "published": published.isoformat(), "body": "\n\n".join(kept)}

    def _paragraphs(self, length: int, rng: random.Random, words_rng: np.random.Generator, topic_words: list[str],
                    topic_phrases: list[str], people: list[str], orgs: list[tuple[str, str]],
                    places: list[str]) -> list[str]:
        stream = self.vocabulary.sample(words_rng, length)
        introduced: set[str] = set()
        sentences: list[str] = []
        at = 0
        while at < length:
            n = min(rng.randint(8, 30), length - at)
            words = stream[at:at + n]
            at += n
            for k in range(len(words)):
                if rng.random() < 0.08:
                    words[k] = rng.choice(topic_words)
            if rng.random() < 0.25:
                words.insert(rng.randrange(len(words) + 1), rng.choice(topic_phrases))
            if rng.random() < 0.3 and orgs:
                name, short = rng.choice(orgs)
                # the first mention defines the acronym, later ones use it, as releases do
                mention = short if short in introduced else f"{name} ({short})" if len(short) >= 2 else name
                introduced.add(short)
                words.insert(rng.randrange(len(words) + 1), mention)
            if rng.random() < 0.2 and people:
                person = rng.choice(people)
                words.insert(rng.randrange(len(words)), f"{person}, {rng.choice(TITLES)},")
            if rng.random() < 0.15:
                words.insert(rng.randrange(len(words) + 1), f"in {rng.choice(places)}")
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words) + 1), _figure(rng))
            sentence = " ".join(words)
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        paragraphs, k = [], 0
        while k < len(sentences):
            size = rng.randint(2, 5)
            paragraphs.append(" ".join(sentences[k:k + size]))
            k += size
        return paragraphs

    def _title(self, rng: random.Random, words_rng: np.random.Generator, topic_words: list[str],
               topic_phrases: list[str], orgs: list[tuple[str, str]], places: list[str]) -> str:
        content = [w for w in self.vocabulary.sample(words_rng, 40) if w not in FUNCTION_WORDS][:rng.randint(2, 5)]
        parts = [rng.choice(topic_phrases)] + content + [rng.choice(topic_words)]
        rng.shuffle(parts)
        lead = rng.choice((orgs[0][0] if orgs else "", places[0], "Government", ""))
        verb = rng.choice(("announces", "launches", "reports", "signs", "unveils", "approves", "plans", "to expand"))
        title = " ".join(p for p in (lead, verb, *parts) if p)
        return " ".join(w[:1].upper() + w[1:] for w in title.split())


def _figure(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.uniform(0.5, 40):.1f} per cent"
    if kind == 1:
        return f"Rs {rng.randint(10, 90_000):,} crore"
    if kind == 2:
        return f"${rng.uniform(1, 900):.1f} million"
    return str(rng.randint(2, 5000))


def describe(path: Path) -> dict[str, Any]:
    """What a written corpus holds, to show it meets the brief (vocabulary, agencies, places, dates)."""
    releases, words, vocabulary = 0, 0, set()
    agencies, countries, cities, people, months = set(), set(), set(), set(), set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            tokens = re.findall(r"[a-z]+", r["body"].lower())
            releases += 1
            words += len(tokens)
            vocabulary.update(tokens)
            agencies.add(r["agency"])
            countries.add(r["dateline"]["country"])
            cities.add(r["dateline"]["city"])
            people.update(r["people"])
            months.add(r["published"][:7])
    return {"releases": releases, "mean_words": round(words / max(releases, 1), 1), "distinct_words": len(vocabulary),
            "agencies": len(agencies), "countries": len(countries), "cities": len(cities), "people": len(people),
            "months": len(months), "megabytes": round(path.stat().st_size / 1e6, 1)}


def corpus_path(out: Path, size: int, seed: int) -> Path:
    return out / f"corpus-v{GENERATOR_VERSION}-s{seed}-{size}.jsonl"


def write_corpus(out: Path, size: int, *, seed: int) -> Path:
    """The corpus of `size` releases as JSON lines under `out`, generated once and reused after."""
    path = corpus_path(out, size, seed)
    if path.exists():
        return path
    out.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as stream:
        for release in Corpus(seed).releases(size):
            stream.write(json.dumps(release, ensure_ascii=False) + "\n")
    partial.replace(path)
    return path
