"""A deterministic, realistic synthetic corpus of case reviews. Every name is invented.

Shaped by the public figures in the domain primer: about 150 boards that became safeguarding
partnerships in 2019 (some merging), reviews per year in the published ranges, children
mostly under five and half under one, boys over-represented, themes in the clusters reviews
report (the "toxic trio"; neglect with missed contact; the hidden man with the child's voice),
10 to 30 recommendations a review with some far longer, recommendations re-issued almost word
for word elsewhere, and action plans with audits that show change embedding - or slipping back.

The same seed and scale always give byte-identical files. Output streams to disk review by
review, so the `large` scale (over a million nodes) needs little memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from loaders.taxonomy import DEFAULT_TAXONOMY_VERSION
from loaders.validate import default_taxonomy_path
from loaders.writer import CorpusWriter, Format

Scale = Literal["demo", "national", "large"]
SCALES: Final[tuple[str, ...]] = ("demo", "national", "large")

FIRST_YEAR: Final = 2007
LAST_YEAR: Final = 2024
REFORM_YEAR: Final = 2019
AS_OF: Final = dt.date(2025, 6, 30)  # fixed, so output never depends on the day it runs
TRUTH_DIR: Final = "_truth"  # ground truth for evaluation; the loader ignores folders


def _fingerprint() -> str:
    """The generator's version: a hash of its code and of the taxonomy it reads."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(default_taxonomy_path().read_bytes())
    return h.hexdigest()[:12]


GENERATOR: Final = f"scrgraph.loaders.generate {_fingerprint()}"

# (LSCB areas, review multiplier) per scale. National ~ 3,000 reviews; large > 1M nodes.
_SCALE: Final[dict[str, tuple[int, float]]] = {
    "demo": (40, 0.1),
    "national": (152, 1.0),
    "large": (152, 10.0),
}

# Serious case reviews and LCSPRs published per year nationally (primer: 293 for 2011-14,
# 368 for 2014-17, 235 for 2017-19; more inspected in 2007-10), before the multiplier.
_REVIEWS_PER_YEAR: Final[dict[int, int]] = {
    2007: 120, 2008: 150, 2009: 175, 2010: 150, 2011: 100, 2012: 95, 2013: 100, 2014: 120,
    2015: 125, 2016: 125, 2017: 120, 2018: 115, 2019: 115, 2020: 135, 2021: 150, 2022: 160,
    2023: 170, 2024: 165,
}  # fmt: skip
_THEMATIC_PER_YEAR: Final = 9
_RAPID_PER_YEAR_AFTER_REFORM: Final = 45
_NATIONAL_PER_YEAR: Final = 2
REISSUE_RATE: Final = 0.07  # share of recommendations re-issued from an earlier review

_PREFIX_WORDS: Final = (
    "Fern Ash Brack Cald Dun Elm Fox Gold Hart Ivy Kings Lark Marsh Nor Oak Pen Quarry Raven "
    "Stan Thorn Wex Yar Bram Cran Dray Glen Holm Kel Lyn Moss Rook Sed Tarn Wil Heath Crow "
    "Bourne Sil Ald Whin"
)
_PREFIXES: Final = tuple(_PREFIX_WORDS.split())
_SUFFIX_WORDS: Final = (
    "moor field ford ton bury dale wick ham ley mouth stead worth combe bridge gate hurst by "
    "well thorpe wood"
)
_SUFFIXES: Final = tuple(_SUFFIX_WORDS.split())
_REGIONS: Final = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
_CENTRAL: Final = (
    ("ag-dfe", "Department for Education"),
    ("ag-dhsc", "Department of Health and Social Care"),
    ("ag-home-office", "Home Office"),
    ("ag-moj", "Ministry of Justice"),
    ("ag-nhse", "NHS England"),
    ("ag-panel", "Child Safeguarding Practice Review Panel"),
)
# Local agencies each area has: (suffix of id, name pattern, sector).
_LOCAL: Final = (
    ("csc", "{a} Children's Social Care", "childrens_social_care"),
    ("ccg", "{a} Clinical Commissioning Group", "health"),
    ("trust", "{a} Hospitals NHS Foundation Trust", "health"),
    ("hv", "{a} Health Visiting and School Nursing Service", "health"),
    ("gp", "{a} General Practice Network", "health"),
    ("camhs", "{a} CAMHS", "health"),
    ("edu", "{a} Education and Schools", "education"),
    ("ey", "{a} Early Years and Childcare Providers", "early_years_pvi"),
    ("yot", "{a} Youth Offending Team", "probation_youth_justice"),
    ("asc", "{a} Adult Social Care", "adult_services"),
    ("housing", "{a} Housing Services", "housing"),
    ("board", "{a} Safeguarding Business Unit", "board"),
)
_SECTOR_SUBJECT: Final = {
    "childrens_social_care": ("Children's social care", "Children's services managers"),
    "health": ("Health commissioners", "All health providers", "The designated nurse"),
    "police": ("The police", "Police public protection units"),
    "education": ("Schools and colleges", "Designated safeguarding leads in schools"),
    "early_years_pvi": ("Early years providers", "Nurseries and childminders"),
    "probation_youth_justice": ("The youth offending service", "Probation services"),
    "adult_services": ("Adult social care", "Adult mental health services"),
    "housing": ("Housing providers", "The housing service"),
    "board": ("The board", "The safeguarding partnership", "Partner agencies"),
    "central_government": ("The Department for Education", "Government"),
}

# Theme clusters reviews report, with weights; a review draws one or two, plus extras.
_CLUSTERS: Final[tuple[tuple[float, tuple[str, ...]], ...]] = (
    (3.0, ("domestic_abuse", "parental_mental_health", "substance_misuse")),
    (2.5, ("neglect", "missed_contact_non_access", "drift")),
    (2.0, ("hidden_man", "voice_of_child", "professional_curiosity")),
    (2.0, ("young_babies_under_five", "pregnancy_unborn", "risk_assessment")),
    (1.5, ("information_sharing", "interagency_communication", "record_keeping")),
    (1.5, ("disguised_compliance", "professional_challenge", "thresholds")),
    (1.0, ("supervision", "risk_assessment", "thresholds")),
    (1.0, ("older_hard_to_help", "sexual_abuse_exploitation", "camhs_transitions")),
    (0.6, ("looked_after_children", "older_hard_to_help", "voice_of_child")),
    (0.5, ("disabled_children", "fabricated_induced_illness", "voice_of_child")),
    (0.5, ("homelessness_immigration", "over_represented_groups", "early_intervention")),
    (0.8, ("neglect", "early_intervention", "thresholds")),
)
_ADOLESCENT: Final = (
    "older_hard_to_help",
    "sexual_abuse_exploitation",
    "camhs_transitions",
    "looked_after_children",
)
_INFANT: Final = ("young_babies_under_five", "pregnancy_unborn")
# Learning-system themes that thematic and national reviews (and some local ones) raise.
_SYSTEM_THEMES: Final = (
    "learning_not_embedded_measured",
    "multi_agency_training",
    "audit_impact_embedding",
    "frontline_managers_supervision",
    "overwhelming_recommendations",
    "repetitive_learning",
    "workload_resource_pressure",
    "multi_agency_issues",
    "core_practice_skills_training",
    "follow_up_corrective_actions",
    "clear_guidelines_standards",
    "strategic_leadership",
)

# What a recommendation on each practice theme asks for (objects of "should ...").
_ASKS: Final[dict[str, tuple[str, ...]]] = {
    "information_sharing": (
        "share information about risk with every agency involved with the family",
        "agree a protocol for information sharing between GPs, health visitors and social workers",
        "remind practitioners that consent is not needed to share information when a child is at risk",
    ),
    "voice_of_child": (
        "make sure the voice of the child is recorded in every assessment and plan",
        "see children on their own and record what the child's voice tells them about daily life",
        "develop guidance on hearing the voice of the child who is pre-verbal or disabled",
    ),
    "hidden_man": (
        "identify and assess every man in the household, including partners who are not resident",
        "ask about fathers and male carers at every contact so that hidden men are not missed",
        "include the history of new partners in assessments to address the risk of the hidden man",
    ),
    "disguised_compliance": (
        "train staff to recognise disguised compliance and apparent cooperation by parents",
        "test parental engagement against evidence of change rather than stated cooperation",
        "escalate cases where non-engagement or disguised compliance delays progress",
    ),
    "thresholds": (
        "revise the threshold document so that practitioners apply thresholds consistently",
        "audit decisions at the front door to check thresholds for a referral are understood",
        "publish a single threshold guide for early help and statutory intervention",
    ),
    "supervision": (
        "provide regular reflective supervision for practitioners working with complex families",
        "ensure safeguarding supervision challenges drift and tests the plan for the child",
        "audit the quality of supervision records for staff in universal services",
    ),
    "record_keeping": (
        "improve record keeping so that chronologies show the history of concerns",
        "ensure records of contacts are accurate, timely and shared across recording systems",
        "audit case records to confirm that decisions and their reasons are recorded",
    ),
    "neglect": (
        "implement a neglect strategy and a recognised tool for assessing neglect",
        "train practitioners to identify chronic neglect and its cumulative harm",
        "review how neglect cases are stepped up when early help does not improve care",
    ),
    "domestic_abuse": (
        "assess the impact of domestic abuse on children in every referral from the police",
        "strengthen the response to domestic abuse and coercive control through the MARAC",
        "ensure practitioners ask routine questions about domestic violence at antenatal contacts",
    ),
    "professional_curiosity": (
        "promote professional curiosity and respectful uncertainty in work with families",
        "encourage practitioners to look beyond the presenting issue and explore family history",
        "develop training on professional curiosity to avoid start again syndrome",
    ),
    "missed_contact_non_access": (
        "follow up missed appointments and record when a child was not brought",
        "agree a was not brought policy so that missed health appointments trigger review",
        "respond to repeated no access visits by escalating concern for children not seen",
    ),
    "professional_challenge": (
        "promote the escalation policy so that staff have confidence to challenge decisions",
        "support practitioners to hold difficult conversations with parents and colleagues",
        "monitor use of the resolution of professional disagreements procedure",
    ),
    "interagency_communication": (
        "improve communication between agencies when families move between areas",
        "hold multi-agency strategy discussions that include every professional involved",
        "establish clear routes for communication between professionals across health and social care",
    ),
    "risk_assessment": (
        "strengthen risk assessment so that risks to the child are not underestimated",
        "use a structured risk assessment tool for unborn and newborn babies",
        "review risk assessments whenever new information about a parent emerges",
    ),
    "parental_mental_health": (
        "ensure adult mental health services consider the needs of children of parents they treat",
        "improve perinatal mental health pathways and their links to children's services",
        "assess the impact of parental mental health on parenting capacity",
    ),
    "substance_misuse": (
        "ensure substance misuse services ask about children living with adults who use drugs",
        "assess how parental drug and alcohol misuse affects the care of children",
        "agree joint working between substance misuse treatment and children's services",
    ),
    "young_babies_under_five": (
        "implement the bruising protocol for non-mobile babies across all agencies",
        "deliver a programme to prevent abusive head trauma in infants",
        "refer every unexplained injury or bruising in a baby for a child protection medical",
    ),
    "sexual_abuse_exploitation": (
        "strengthen the multi-agency response to child sexual exploitation",
        "train practitioners to recognise signs of child sexual abuse in the family",
        "develop a contextual safeguarding approach to exploitation outside the home",
    ),
    "disabled_children": (
        "ensure assessments of disabled children consider safeguarding as well as care needs",
        "train staff to communicate with disabled children who use non-verbal communication",
        "review how short breaks and disability services share concerns",
    ),
    "older_hard_to_help": (
        "develop services for adolescents who are hard to help and at risk outside the home",
        "review the response to older young people who go missing or self-harm",
        "ensure adolescents at risk are not closed to services because they do not engage",
    ),
    "over_represented_groups": (
        "consider ethnicity, culture and faith in every assessment of the family",
        "monitor outcomes for over-represented groups of children in the child protection system",
        "ensure interpreters are used and that cultural identity is understood",
    ),
    "pregnancy_unborn": (
        "complete pre-birth assessments early where there are concerns about the unborn baby",
        "respond to concealed pregnancy with an immediate multi-agency discussion",
        "ensure midwives share concerns about the unborn child with children's services",
    ),
    "fabricated_induced_illness": (
        "raise awareness of fabricated or induced illness and the guidance on perplexing presentations",
        "ensure paediatricians lead a multi-agency plan when fabricated illness is suspected",
        "review how health records are checked when a parent reports symptoms not observed by professionals",
    ),
    "looked_after_children": (
        "ensure care plans for looked after children are reviewed when placements change",
        "strengthen the oversight of children in care who are placed out of area",
        "make sure the health needs of children in care are assessed on time",
    ),
    "drift": (
        "set timescales to prevent drift in child in need and child protection plans",
        "review cases open for more than a year without progress to address case drift",
        "ensure managers challenge inaction and drift at every review of the plan",
    ),
    "camhs_transitions": (
        "improve the transition from CAMHS to adult mental health services",
        "agree a protocol for young people moving to adult services at eighteen",
        "review access to in-patient mental health beds for young people",
    ),
    "homelessness_immigration": (
        "ensure families in temporary accommodation are known to health and education services",
        "share information when homeless families are placed out of area",
        "consider immigration status and no recourse to public funds in assessments",
    ),
    "early_intervention": (
        "strengthen early help so that families receive support before concerns escalate",
        "ensure an early help assessment is offered when needs are first identified",
        "review the early help offer for families with young children",
    ),
}
_OPENERS: Final = ("should", "must", "should work together to", "are asked to", "should")
_PURPOSES: Final = (
    "so that risks to children are identified early",
    "and report progress to the board",
    "to improve outcomes for children",
    "and evaluate the impact on practice",
    "so that learning from this review is embedded",
    "and provide assurance to the partnership",
    "drawing on the findings of this review",
    "so that children are safeguarded consistently across the area",
    "and share the results with frontline staff",
    "so that practitioners understand what is expected of them",
    "and monitor compliance through regular audit",
    "to reduce the likelihood of a similar incident",
)
_CONTEXTS: Final = (
    "in cases where parents have a history of violence",
    "when a family moves between local authority areas",
    "for families with children under two",
    "at the point of referral",
    "during pre-birth assessment",
    "when cases are stepped down to early help",
    "where several professionals are involved with one family",
    "when a case is transferred between teams",
    "where a parent has previously had children removed",
    "when a child is not in education",
    "in out-of-hours and emergency services",
    "where English is not the family's first language",
    "for children who are subject to a child protection plan",
    "when concerns are raised by neighbours or relatives",
    "where a parent is in contact with the criminal justice system",
    "in families where older siblings are known to services",
)
_MEANS: Final = (
    "through a single-agency audit",
    "using the partnership's learning and improvement framework",
    "by revising the induction of new staff",
    "through briefings and case studies",
    "by updating the multi-agency procedures",
    "through reflective practice sessions",
    "by amending the electronic recording system",
    "through a programme of multi-agency training",
    "with the support of the designated professionals",
    "by commissioning an independent review of practice",
    "through the quality assurance subgroup",
    "by issuing practice guidance with clear expectations",
)
_TIMEFRAMES: Final = (
    "within six months",
    "within three months",
    "by the end of the year",
    "within twelve months",
    "as a priority",
    "before the next annual report",
    "within nine months",
    "by the next board meeting",
)
_ACTION_VERBS: Final = (
    "Deliver multi-agency training on",
    "Revise the procedure on",
    "Audit a sample of cases for",
    "Issue a seven-minute briefing on",
    "Add guidance to the safeguarding policy on",
    "Hold practitioner learning events on",
    "Update the induction programme to cover",
    "Commission a thematic audit of",
)
_AUDIT_METHODS: Final = (
    "multi-agency case file audit",
    "single-agency dip sample of case records",
    "practitioner survey and focus group",
    "observation of practice",
    "joint targeted area inspection",
    "review of supervision records",
)
_FINDINGS: Final[dict[str, tuple[str, ...]]] = {
    "embedded": (
        "Practice consistently reflects the new guidance.",
        "Records show the change is part of routine practice.",
        "Practitioners could describe and apply the learning.",
    ),
    "partially_embedded": (
        "Practice has improved in some teams but not consistently.",
        "The guidance is known but not always applied.",
        "Improvement seen in records; gaps remain in out-of-hours services.",
    ),
    "not_embedded": (
        "No evidence that practice has changed.",
        "Practice has slipped back after staff turnover.",
        "The new procedure is not known to frontline staff.",
    ),
}


@dataclass
class _Board:
    id: str
    name: str
    kind: str
    region: str
    areas: list[int]
    established: int
    ended: int | None
    weight: float


@dataclass
class _PoolRec:
    id: str
    text: str
    themes: list[str]
    board_id: str
    year: int
    root: str
    areas: list[str]


@dataclass
class _State:
    rng: random.Random
    theme_info: dict[str, dict[str, Any]]
    themes_by_kind: dict[str, list[str]]
    area_names: list[str]
    area_agencies: list[dict[str, list[str]]]  # per area: sector -> agency ids
    police_of_area: list[str]
    agency_name: dict[str, str] = field(default_factory=dict)
    pool: list[_PoolRec] = field(default_factory=list)
    reissued: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _weighted(rng: random.Random, options: Sequence[tuple[float, Any]]) -> Any:
    total = sum(w for w, _ in options)
    x = rng.random() * total
    for w, v in options:
        x -= w
        if x < 0:
            return v
    return options[-1][1]


def _load_taxonomy() -> list[dict[str, Any]]:
    with default_taxonomy_path().open(encoding="utf-8-sig") as f:
        return [json.loads(line) for line in f if line.strip()]


def _area_names(rng: random.Random, n: int) -> list[str]:
    names = sorted({p + s for p in _PREFIXES for s in _SUFFIXES})
    rng.shuffle(names)
    return sorted(names[:n])


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _boards(st: _State, w: CorpusWriter) -> tuple[list[_Board], list[_Board]]:
    rng = st.rng
    n = len(st.area_names)
    lscbs: list[_Board] = []
    for i, area in enumerate(st.area_names):
        b = _Board(
            id=f"b-{_slug(area)}-lscb",
            name=f"{area} LSCB",
            kind="lscb",
            region=_REGIONS[i % len(_REGIONS)],
            areas=[i],
            established=2006,
            ended=REFORM_YEAR,
            weight=rng.lognormvariate(0.0, 0.45),
        )
        lscbs.append(b)
    # 2019: most LSCBs become one partnership; some partnerships take in two or three.
    order = list(range(n))
    rng.shuffle(order)
    groups: list[list[int]] = []
    i = 0
    while i < n:
        size = _weighted(rng, ((0.8, 1), (0.15, 2), (0.05, 3)))
        groups.append(sorted(order[i : i + size]))
        i += size
    groups.sort()
    partnerships: list[_Board] = []
    for g in groups:
        names = [st.area_names[a] for a in g]
        if len(names) == 1:
            name = f"{names[0]} Safeguarding Children Partnership"
        else:
            name = " and ".join([", ".join(names[:-1]), names[-1]]) + " Safeguarding Partnership"
        p = _Board(
            id=f"b-{_slug(names[0])}-partnership",
            name=name,
            kind="partnership",
            region=lscbs[g[0]].region,
            areas=g,
            established=REFORM_YEAR,
            ended=None,
            weight=sum(lscbs[a].weight for a in g),
        )
        partnerships.append(p)
        for a in g:
            w.write("board_succession", {
                "from_board_id": lscbs[a].id, "to_board_id": p.id, "year": REFORM_YEAR
            })  # fmt: skip
    for b in lscbs + partnerships:
        w.write("boards", {
            "id": b.id, "name": b.name, "kind": b.kind, "region": b.region,
            "established_year": b.established, "ended_year": b.ended,
        })  # fmt: skip
    return lscbs, partnerships


def _agencies(st: _State, w: CorpusWriter) -> None:
    for aid, name in _CENTRAL:
        w.write("agencies", {"id": aid, "name": name, "sector": "central_government"})
        st.agency_name[aid] = name
    # Police forces cover several areas each.
    n = len(st.area_names)
    forces: list[str] = []
    for start in range(0, n, 4):
        area = st.area_names[start]
        fid = f"ag-{_slug(area)}-police"
        w.write("agencies", {"id": fid, "name": f"{area} Constabulary", "sector": "police"})
        st.agency_name[fid] = f"{area} Constabulary"
        forces.append(fid)
    st.police_of_area = [forces[i // 4] for i in range(n)]
    for i, area in enumerate(st.area_names):
        by_sector: dict[str, list[str]] = {"police": [st.police_of_area[i]]}
        for suffix, pattern, sector in _LOCAL:
            aid = f"ag-{_slug(area)}-{suffix}"
            w.write("agencies", {"id": aid, "name": pattern.format(a=area), "sector": sector})
            st.agency_name[aid] = pattern.format(a=area)
            by_sector.setdefault(sector, []).append(aid)
        by_sector["central_government"] = [a for a, _ in _CENTRAL]
        st.area_agencies.append(by_sector)


def _review_plan(scale: str, rng: random.Random) -> list[tuple[int, str]]:
    """(year, review_type) for every review, in publication order."""
    _, mult = _SCALE[scale]
    plan: list[tuple[int, str]] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        n = round(_REVIEWS_PER_YEAR[year] * mult * rng.uniform(0.9, 1.1))
        scr_share = 1.0 if year < REFORM_YEAR else {2019: 0.7, 2020: 0.4, 2021: 0.15}.get(year, 0)
        for _ in range(n):
            plan.append((year, "scr" if rng.random() < scr_share else "lcspr"))
        for _ in range(round(_THEMATIC_PER_YEAR * mult * rng.uniform(0.6, 1.4))):
            plan.append((year, "thematic"))
        if year >= REFORM_YEAR:
            for _ in range(round(_RAPID_PER_YEAR_AFTER_REFORM * mult * rng.uniform(0.8, 1.2))):
                plan.append((year, "rapid"))
        for _ in range(round(_NATIONAL_PER_YEAR * max(mult, 0.5) * rng.uniform(0.5, 1.5))):
            plan.append((year, "national"))
    return plan


def _review_themes(st: _State, age_band: str, review_type: str) -> list[str]:
    rng = st.rng
    chosen: list[str] = []
    k = 1 if rng.random() < 0.55 else 2
    for _ in range(k):
        if age_band == "under_1" and rng.random() < 0.45:
            cluster: tuple[str, ...] = _CLUSTERS[3][1]
        elif age_band in ("10_to_15", "16_plus") and rng.random() < 0.6:
            cluster = tuple(rng.sample(_ADOLESCENT, 3))
        else:
            cluster = _weighted(rng, _CLUSTERS)
        for t in cluster:
            if t not in chosen and rng.random() < 0.85:
                chosen.append(t)
    practice = st.themes_by_kind["practice"]
    for _ in range(rng.choice((0, 1, 1, 2))):
        t = rng.choice(practice)
        if t not in chosen:
            chosen.append(t)
    if review_type in ("thematic", "national") or rng.random() < 0.25:
        for t in rng.sample(_SYSTEM_THEMES, rng.choice((1, 1, 2, 3))):
            if t not in chosen:
                chosen.append(t)
    if age_band in ("10_to_15", "16_plus"):
        chosen = [t for t in chosen if t not in _INFANT]
    return chosen or ["information_sharing"]


def _ask(st: _State, theme: str) -> str:
    asks = _ASKS.get(theme)
    if asks:
        return st.rng.choice(asks)
    info = st.theme_info.get(theme, {})
    label = str(info.get("label") or theme.replace("_", " ")).lower()
    signals = [s for s in info.get("signals") or [] if len(s) > 3]
    detail = f", with attention to {st.rng.choice(signals)}" if signals else ""
    return st.rng.choice(
        (
            f"set out how they will address {label}{detail}",
            f"develop a plan on {label}{detail}",
            f"review their arrangements for {label}{detail}",
        )
    )


def _rec_text(st: _State, subject: str, themes: list[str]) -> str:
    """A recommendation: who, what (from its themes), and some of where, how, why, when."""
    rng = st.rng
    ask = _ask(st, themes[0])
    if len(themes) > 1 and rng.random() < 0.4:
        ask += ", and " + _ask(st, themes[1])
    text = f"{subject} {rng.choice(_OPENERS)} {ask}"
    pools = [_CONTEXTS, _MEANS, _PURPOSES, _TIMEFRAMES]
    keep = rng.sample(range(4), rng.choice((2, 2, 3, 3, 4)))
    for k in sorted(keep):
        text += " " + rng.choice(pools[k])
    return text[0].upper() + text[1:] + "."


_SYNONYMS: Final = (
    ("should", "must"),
    ("ensure", "make sure"),
    ("practitioners", "professionals"),
    ("improve", "strengthen"),
    ("review", "reconsider"),
    ("the board", "the partnership"),
    ("develop", "produce"),
    ("children", "young people"),
    ("staff", "the workforce"),
    ("agencies", "partners"),
)


def _reissue(st: _State, text: str, their_areas: list[str], here: str) -> str:
    """A near-verbatim copy: this area's name for theirs, perhaps a word changed and a
    clause added or cut."""
    rng = st.rng
    out = text.rstrip(".")
    for area in their_areas:
        out = out.replace(area, here)
    for a, b in rng.sample(_SYNONYMS, 2):
        if a in out and rng.random() < 0.4:
            out = out.replace(a, b, 1)
    r = rng.random()
    if r < 0.15:
        out += " " + rng.choice(_TIMEFRAMES)
    elif r < 0.3:
        for t in _TIMEFRAMES + _PURPOSES:
            if out.endswith(" " + t) and len(out) > len(t) + 60:
                out = out[: -len(t)].rstrip()
                break
    return out[0].upper() + out[1:] + "."


def _statuses(age: int, rng: random.Random) -> str:
    """Recommendation status: older recommendations are mostly closed."""
    opts: tuple[tuple[float, str], ...]
    if age <= 1:
        opts = ((5, "open_awaiting_response"), (4, "open_acceptable_response"),
                (1, "open_unacceptable_response"), (1.5, "closed_acceptable_action"),
                (0.3, "closed_alternate_action"))  # fmt: skip
    elif age <= 4:
        opts = ((1, "open_awaiting_response"), (3, "open_acceptable_response"),
                (0.8, "open_unacceptable_response"), (5, "closed_acceptable_action"),
                (0.8, "closed_alternate_action"), (0.4, "closed_unacceptable_action"),
                (0.4, "closed_superseded"), (0.3, "closed_no_longer_applicable"))  # fmt: skip
    else:
        opts = ((0.2, "open_awaiting_response"), (0.8, "open_acceptable_response"),
                (0.4, "open_unacceptable_response"), (7, "closed_acceptable_action"),
                (1.2, "closed_alternate_action"), (0.8, "closed_unacceptable_action"),
                (1.2, "closed_superseded"), (0.8, "closed_no_longer_applicable"))  # fmt: skip
    return str(_weighted(rng, opts))


_ACTION_STATUS_FOR: Final[dict[str, tuple[tuple[float, str], ...]]] = {
    "open_awaiting_response": ((1, "not_started"),),
    "open_acceptable_response": ((2, "in_progress"), (1, "completed"), (0.5, "not_started")),
    "open_unacceptable_response": ((2, "not_started"), (1, "in_progress")),
    "closed_acceptable_action": ((9, "completed"), (0.3, "cancelled")),
    "closed_alternate_action": ((3, "completed"), (1, "cancelled")),
    "closed_unacceptable_action": ((2, "cancelled"), (1, "not_started"), (0.5, "in_progress")),
    "closed_superseded": ((2, "cancelled"), (1, "completed")),
    "closed_no_longer_applicable": ((3, "cancelled"), (1, "completed")),
}


def _add_months(d: dt.date, months: int, jitter_days: int, rng: random.Random) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    base = dt.date(d.year + y, m + 1, min(d.day, 28))
    return base + dt.timedelta(days=rng.randint(-jitter_days, jitter_days))


def _audits(
    st: _State, w: CorpusWriter, action_id: str, completed: dt.date, themes: list[str]
) -> None:
    rng = st.rng
    r = rng.random()
    if r < 0.35:
        return  # never audited
    if r < 0.55:
        pattern = [
            (3, _weighted(rng, ((6, "embedded"), (3, "partially_embedded"), (1, "not_embedded"))))
        ]
    elif r < 0.70:
        # The slipped-back pattern: embedded at three months, not embedded at twelve.
        pattern = [(3, "embedded"), (6, rng.choice(("embedded", "partially_embedded"))),
                   (12, "not_embedded")]  # fmt: skip
        if rng.random() < 0.3:
            pattern = [(3, "embedded"), (12, "not_embedded")]
    elif r < 0.85:
        pattern = [(3, "partially_embedded"), (6, "embedded"), (12, "embedded")]
    else:
        first = _weighted(rng, ((4, "embedded"), (3, "partially_embedded"), (2, "not_embedded")))
        pattern = [(3, first), (12, first if rng.random() < 0.6 else "partially_embedded")]
    for n, (months, rating) in enumerate(pattern, start=1):
        date = _add_months(completed, months, 12, rng)
        if date > AS_OF:
            break
        date = max(date, completed)
        auditor = _weighted(
            rng, ((5, "board_qa"), (3, "single_agency"), (1.2, "ofsted"), (0.8, "other_inspection"))
        )
        method = rng.choice(_AUDIT_METHODS)
        sample = rng.choice((6, 8, 10, 12, 15, 20, 25, 30))
        w.write("audits", {
            "id": f"{action_id}-u{n}", "action_id": action_id, "date": date.isoformat(),
            "auditor": auditor, "method": method, "finding": rng.choice(_FINDINGS[rating]),
            "rating": rating,
            "evidence": f"{method.capitalize()} of {sample} cases, {months} months after completion.",
        })  # fmt: skip
        st.counts["audits"] = st.counts.get("audits", 0) + 1


def _actions(
    st: _State,
    w: CorpusWriter,
    rec_id: str,
    status: str,
    published: dt.date,
    owners: list[str],
    themes: list[str],
) -> None:
    rng = st.rng
    if status == "open_awaiting_response" and rng.random() < 0.85:
        return
    n = _weighted(rng, ((5, 1), (3, 2), (1, 3)))
    for k in range(1, n + 1):
        a_status = str(_weighted(rng, _ACTION_STATUS_FOR[status]))
        due = _add_months(published, rng.choice((3, 6, 6, 9, 12, 12, 18)), 10, rng)
        completed: dt.date | None = None
        if a_status == "completed":
            completed = _add_months(due, rng.choice((-2, -1, 0, 0, 1, 2, 4, 8)), 10, rng)
            completed = max(completed, published + dt.timedelta(days=14))
            if completed > AS_OF:
                completed = AS_OF - dt.timedelta(days=rng.randint(1, 60))
                if completed < published:
                    a_status, completed = "in_progress", None
        theme = themes[(k - 1) % len(themes)]
        label = str(st.theme_info.get(theme, {}).get("label") or theme).lower()
        aid = f"{rec_id}-a{k}"
        w.write("actions", {
            "id": aid, "recommendation_id": rec_id, "owner_agency_id": rng.choice(owners),
            "description": f"{rng.choice(_ACTION_VERBS)} {label}.",
            "due_date": due.isoformat(), "status": a_status,
            "completed_date": completed.isoformat() if completed else None,
        })  # fmt: skip
        st.counts["actions"] = st.counts.get("actions", 0) + 1
        if completed is not None:
            _audits(st, w, aid, completed, themes)


def _subject(st: _State, board: _Board, addressee: tuple[str, str]) -> str:
    """Who the text addresses: the board or agency by name, or its sector in general."""
    rng = st.rng
    agency, sector = addressee
    if sector == "board":
        return board.name if rng.random() < 0.5 else rng.choice(_SECTOR_SUBJECT["board"])
    if rng.random() < 0.45:
        return st.agency_name.get(agency, rng.choice(_SECTOR_SUBJECT[sector]))
    return rng.choice(_SECTOR_SUBJECT[sector])


def _vary(st: _State, text: str) -> str:
    """Independent wording: each synonym applies with some chance."""
    for a, b in _SYNONYMS:
        if a in text and st.rng.random() < 0.3:
            text = text.replace(a, b, 1)
    return text


def _addressees(st: _State, board: _Board, themes: list[str], level: str) -> list[tuple[str, str]]:
    """(agency id, sector) the recommendation is addressed to."""
    rng = st.rng
    area = st.area_agencies[rng.choice(board.areas)]
    if level == "national":
        return [(rng.choice(area["central_government"]), "central_government")]
    if level == "board":
        return [(area["board"][0], "board")]
    sector_for = {
        "domestic_abuse": "police", "substance_misuse": "adult_services",
        "parental_mental_health": "adult_services", "missed_contact_non_access": "health",
        "young_babies_under_five": "health", "pregnancy_unborn": "health",
        "fabricated_induced_illness": "health", "camhs_transitions": "health",
        "sexual_abuse_exploitation": "police", "older_hard_to_help": "education",
        "homelessness_immigration": "housing", "early_intervention": "early_years_pvi",
        "looked_after_children": "childrens_social_care", "neglect": "childrens_social_care",
    }  # fmt: skip
    sectors = [sector_for.get(themes[0], rng.choice(
        ("childrens_social_care", "health", "health", "police", "education")
    ))]  # fmt: skip
    if level == "multi_agency":
        for s in rng.sample(("childrens_social_care", "health", "police", "education",
                             "probation_youth_justice", "housing"), rng.choice((1, 2, 3))):  # fmt: skip
            if s not in sectors:
                sectors.append(s)
    return [(rng.choice(area[s]), s) for s in sectors]


def _recommendations(
    st: _State,
    w: CorpusWriter,
    review_id: str,
    board: _Board,
    year: int,
    review_type: str,
    themes: list[str],
    published: dt.date,
) -> list[str]:
    """Write a review's recommendations (and their actions and audits); return themes used."""
    rng = st.rng
    if review_type == "rapid":
        n = rng.randint(1, 6)
    elif review_type in ("thematic", "national"):
        n = rng.randint(4, 14)
    else:
        n = min(48, max(1, round(rng.lognormvariate(2.3, 0.55))))
    used: list[str] = []
    for i in range(1, n + 1):
        rec_id = f"{review_id}-r{i:02d}"
        level = _weighted(rng, (
            (0.8 if review_type == "national" else 0.05, "national"),
            (3, "board"), (4, "single_agency"), (2.5, "multi_agency"),
        ))  # fmt: skip
        reissue = (
            st.pool
            and rng.random() < REISSUE_RATE
            and (src := rng.choice(st.pool)).board_id != board.id
        )
        if reissue:
            rec_themes = list(src.themes)
            addressees = _addressees(st, board, rec_themes, level)
            here = st.area_names[board.areas[0]]
            text = _reissue(st, src.text, src.areas, here)
            st.reissued.append((src.root, rec_id, src.id))
            root = src.root
        else:
            k = 2 if rng.random() < 0.35 else 1
            rec_themes = rng.sample(themes, min(k, len(themes)))
            addressees = _addressees(st, board, rec_themes, level)
            text = _vary(st, _rec_text(st, _subject(st, board, addressees[0]), rec_themes))
            root = rec_id
        status = _statuses(LAST_YEAR - year, rng)
        w.write("recommendations", {
            "id": rec_id, "review_id": review_id, "number": str(i), "text": text,
            "level": level, "status": status, "location": f"p. {rng.randint(20, 90)}",
        })  # fmt: skip
        st.counts["recommendations"] = st.counts.get("recommendations", 0) + 1
        for t in rec_themes:
            w.write("recommendation_themes", {"recommendation_id": rec_id, "theme_id": t})
            if t not in used:
                used.append(t)
        seen_ag: set[str] = set()
        for aid, _ in addressees:
            if aid not in seen_ag:
                seen_ag.add(aid)
                w.write("recommendation_agencies", {"recommendation_id": rec_id, "agency_id": aid})
        _actions(st, w, rec_id, status, published, sorted(seen_ag), rec_themes)
        if rng.random() < 0.25:
            areas = [st.area_names[a] for a in board.areas]
            entry = _PoolRec(rec_id, text, rec_themes, board.id, year, root, areas)
            if len(st.pool) < 4000:
                st.pool.append(entry)
            else:
                st.pool[rng.randrange(len(st.pool))] = entry
    return used


_AGES: Final = ((50, "under_1"), (17, "1_to_4"), (10, "5_to_9"), (14, "10_to_15"),
                (7, "16_plus"), (2, "unknown"))  # fmt: skip
_LETTERS: Final = "ABCDEFGHJKLMNPRSTUVWXYZ"
# Letter pseudonyms of real, widely reported cases, mapped to ones that are not.
_REAL_CASE_PSEUDONYMS: Final[dict[str, str]] = {"Baby P": "Baby Q"}
_OUTCOMES: Final = ("died", "was seriously harmed", "suffered serious injuries",
                    "experienced long-term neglect")  # fmt: skip


def _reviews(
    st: _State,
    w: CorpusWriter,
    scale: str,
    lscbs: list[_Board],
    partnerships: list[_Board],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    rng = st.rng
    plan = _review_plan(scale, rng)
    every = max(1, len(plan) // 200)
    lscb_w = [(b.weight, b) for b in lscbs]
    part_w = [(b.weight, b) for b in partnerships]
    # Published reviews and the others are numbered in two series, so the ids a public
    # viewer sees run without gaps: a gap would count the hidden reviews (issue 17).
    series = {"published": 0, "hidden": 0}
    for done, (year, rtype) in enumerate(plan):
        if progress is not None and done % every == 0:
            progress(done, len(plan))  # reviews written so far
        board: _Board = _weighted(rng, lscb_w if year < REFORM_YEAR else part_w)
        age = str(_weighted(rng, _AGES)) if rtype not in ("thematic", "national") else "unknown"
        sex = str(_weighted(rng, ((55, "male"), (42, "female"), (3, "unknown"))))
        if rtype in ("thematic", "national"):
            sex = "unknown"
        themes = _review_themes(st, age, rtype)
        if year < 2011:
            method = _weighted(rng, ((8, "traditional"), (1, "systems"), (1, "unknown")))
        else:
            method = _weighted(rng, ((3, "traditional"), (4, "systems"), (3, "hybrid"),
                                     (0.5, "unknown")))  # fmt: skip
        letters = rng.choice(_LETTERS) + (rng.choice(_LETTERS) if rng.random() < 0.2 else "")
        who = {"under_1": "Baby", "1_to_4": "Child"}.get(age, "Child")
        pseudonym = f"Family {letters}" if rng.random() < 0.15 else f"{who} {letters}"
        # Some letter pseudonyms name real, widely reported cases; never reuse those.
        pseudonym = _REAL_CASE_PSEUDONYMS.get(pseudonym, pseudonym)
        label = st.theme_info.get(themes[0], {}).get("label", themes[0])
        if rtype == "scr":
            title = f"Serious Case Review: {pseudonym}"
        elif rtype == "lcspr":
            title = f"Local Child Safeguarding Practice Review: {pseudonym}"
        elif rtype == "rapid":
            title = f"Rapid Review: {pseudonym}"
        elif rtype == "thematic":
            title = f"Thematic review: {label}"
            pseudonym = ""
        else:
            title = f"National review: {label}"
            pseudonym = ""
        status = str(_weighted(rng, ((86, "published"), (11, "restricted"),
                                     (3 if year < 2014 else 0.5, "withdrawn"))))  # fmt: skip
        if rtype == "rapid":
            status = "restricted" if rng.random() < 0.7 else "published"
        kind = "published" if status == "published" else "hidden"
        series[kind] += 1
        review_id = f"rv-{series[kind]:06d}" if kind == "published" else f"rv-x{series[kind]:05d}"
        incident = year - _weighted(rng, ((2, 0), (5, 1), (3, 2), (1, 3)))
        published = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        published = min(published, AS_OF)
        labels = [str(st.theme_info.get(t, {}).get("label", t)).lower() for t in themes[:3]]
        if pseudonym:
            sex_word = {"male": "a boy", "female": "a girl"}.get(sex, "a child")
            age_word = {
                "under_1": "under one", "1_to_4": "aged between one and four",
                "5_to_9": "aged between five and nine", "10_to_15": "aged between ten and fifteen",
                "16_plus": "aged sixteen or over",
            }.get(age, "")  # fmt: skip
            summary = (f"{pseudonym}, {sex_word}{' ' + age_word if age_word else ''}, "
                       f"{rng.choice(_OUTCOMES)}. The review found learning about "
                       f"{', '.join(labels[:-1]) + ' and ' + labels[-1] if len(labels) > 1 else labels[0]}.")  # fmt: skip
        else:
            summary = f"A review of learning across cases about {', '.join(labels)}."
        rec_themes = _recommendations(st, w, review_id, board, year, rtype, themes, published)
        for t in themes + [t for t in rec_themes if t not in themes]:
            w.write("review_themes", {"review_id": review_id, "theme_id": t})
        w.write("reviews", {
            "id": review_id, "board_id": board.id, "title": title, "year": year,
            "incident_year": incident if rng.random() < 0.85 and rtype != "national" else None,
            "review_type": rtype, "method": method, "age_band": age, "sex": sex,
            "pseudonym": pseudonym or None, "status": status, "summary": summary,
            "document": f"{_slug(board.name)}-{year}-{_slug(pseudonym or title)}.pdf",
        })  # fmt: skip
        st.counts["reviews"] = st.counts.get("reviews", 0) + 1
    if progress is not None:
        progress(len(plan), len(plan))


def generate_corpus(
    out: Path | str,
    *,
    scale: str = "demo",
    seed: int = 42,
    fmt: Format = "csv",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Write a synthetic corpus to `out` and return its metadata (also in corpus.json).

    `progress(reviews written, reviews in all)` is called as the reviews are written (it
    draws nothing from the random stream: the corpus is the same with or without it).

    `_truth/reissued.jsonl` lists every recommendation the generator re-issued near-verbatim
    (`root`: the original, `id`: the copy, `from`: the recommendation copied) for evaluation.
    """
    if scale not in _SCALE:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, got {scale!r}")
    out = Path(out)
    rng = random.Random(seed)
    taxonomy = _load_taxonomy()
    theme_info = {t["id"]: t for t in taxonomy}
    by_kind: dict[str, list[str]] = {}
    for t in taxonomy:
        by_kind.setdefault(t["kind"], []).append(t["id"])
    n_areas, _ = _SCALE[scale]
    st = _State(
        rng=rng,
        theme_info=theme_info,
        themes_by_kind=by_kind,
        area_names=_area_names(rng, n_areas),
        area_agencies=[],
        police_of_area=[],
    )
    with CorpusWriter(out, fmt) as w:
        for name in ("boards", "agencies", "reviews", "recommendations", "actions", "audits",
                     "review_themes", "recommendation_themes", "recommendation_agencies",
                     "board_succession"):  # fmt: skip
            w.ensure(name)
        lscbs, partnerships = _boards(st, w)
        _agencies(st, w)
        _reviews(st, w, scale, lscbs, partnerships, progress)
        rows = dict(w.rows)
    truth = out / TRUTH_DIR
    truth.mkdir(exist_ok=True)
    with (truth / "reissued.jsonl").open("w", encoding="utf-8") as f:
        for root, rid, src in st.reissued:
            f.write(json.dumps({"root": root, "id": rid, "from": src}) + "\n")
    meta: dict[str, Any] = {
        "name": f"scrgraph synthetic corpus ({scale}, seed {seed})",
        "synthetic": True,
        "seed": seed,
        "scale": scale,
        "taxonomy_version": DEFAULT_TAXONOMY_VERSION,
        "generated": "Synthetic data made by scrgraph's generator. Every board, agency, child "
        "and family name is invented; no record describes a real case.",
        "generator": GENERATOR,
        "rows": rows,
    }
    CorpusWriter(out, fmt).write_metadata(meta)
    return meta


def reissued_groups(out: Path | str) -> Iterator[tuple[str, str]]:
    """(root, id) for every re-issued recommendation in a generated corpus."""
    path = Path(out) / TRUTH_DIR / "reissued.jsonl"
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                yield r["root"], r["id"]
