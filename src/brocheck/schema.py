"""The case file: a municipality's crime-prevention facts as Pydantic models.

Principles (see design notes): observations only, never verdicts; a key left out (None) is unknown,
an empty list or `false` is a recorded "none". Field docstrings are the Swedish descriptions users
see in their editor through the generated JSON Schema.

References between parts of the case (a decision's body, a member's organisation, a fact's source)
are plain ids annotated with `Ref(...)`; `check_references` validates them all in one generic pass.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StrictBool, StrictInt, StringConstraints

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Ref:
    """Marks a string field as the id of another part of the case, in namespace `kind`."""

    kind: Literal["organ", "aktor", "part", "kalla", "dokument", "beslut"]


@dataclass(frozen=True)
class Absent:
    """Marks an optional field whose missing value means "none" rather than "unknown"."""


@dataclass(frozen=True)
class Since:
    """Marks the date from which an item exists (a decision's date, a document's date, a body's
    founding date). An item whose date is after the case's as-of date does not exist for the
    assessment (see `brocheck.timeline`); an undated item is taken to exist."""


NONE = Absent()
SINCE = Since()
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2099, 12, 31)
IN_FORCE = dt.date(2023, 7, 1)
"""Lag (2023:196) entered into force on this date: an audit's as-of date cannot be earlier."""
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
OrganRef = Annotated[str, Ref("organ")]
PartRef = Annotated[str, Ref("part")]
KallRef = Annotated[str, Ref("kalla")]
DokumentRef = Annotated[str, Ref("dokument")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Date = Annotated[dt.date, Strict(), Field(ge=EARLIEST, le=LATEST)]
Count = Annotated[StrictInt, Field(ge=0)]


def _one_or_many(value: Any) -> Any:
    """One id or a list of ids, read as a list."""
    return [value] if isinstance(value, str) else value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class Cited(Model):
    kallor: list[KallRef] = []
    """Källor (id i `kallor`) som styrker uppgiften."""


# --- enumerations -------------------------------------------------------------------------------


class KallTyp(StrEnum):
    protokoll = "protokoll"
    styrdokument = "styrdokument"
    dokument = "dokument"
    avtal = "avtal"
    intervju = "intervju"
    webbsida = "webbsida"
    lag = "lag"
    forarbete = "forarbete"
    vagledning = "vagledning"


class OrganTyp(StrEnum):
    kommun = "kommun"
    """The municipality as a legal person, e.g. a party to an agreement."""
    kommunfullmaktige = "kommunfullmaktige"
    kommunstyrelse = "kommunstyrelse"
    namnd = "namnd"
    utskott = "utskott"
    forvaltning = "forvaltning"
    bolag = "bolag"
    rad = "rad"
    styrgrupp = "styrgrupp"
    beredningsgrupp = "beredningsgrupp"
    arbetsgrupp = "arbetsgrupp"
    natverk = "natverk"
    samordningsfunktion = "samordningsfunktion"
    annat = "annat"


class Niva(StrEnum):
    ledning = "ledning"
    strategisk = "strategisk"
    central = "central"
    lokal = "lokal"


class Inriktning(StrEnum):
    social = "social"
    situationell = "situationell"


class AktorTyp(StrEnum):
    polis = "polis"
    region = "region"
    statlig_myndighet = "statlig_myndighet"
    raddningstjanst = "raddningstjanst"
    kollektivtrafik = "kollektivtrafik"
    kommunalforbund = "kommunalforbund"
    kommun = "kommun"
    """Another municipality, e.g. in a strategic council or an agreement shared by several municipalities."""
    naringsliv = "naringsliv"
    civilsamhalle = "civilsamhalle"
    annan = "annan"


class Roll(StrEnum):
    kommunstyrelsens_ordforande = "kommunstyrelsens_ordforande"
    kommunalrad = "kommunalrad"
    fortroendevald = "fortroendevald"
    kommundirektor = "kommundirektor"
    lokalpolisomradeschef = "lokalpolisomradeschef"
    kommunpolis = "kommunpolis"
    forvaltningschef = "forvaltningschef"
    verksamhetschef = "verksamhetschef"
    bolagschef = "bolagschef"
    chef = "chef"
    samordnare = "samordnare"
    tjansteperson = "tjansteperson"
    annan = "annan"


class UppgiftTyp(StrEnum):
    """Kinds of duties a reglemente assigns, as the law and KL name them."""

    brottsforebyggande_lag = "brottsforebyggande_lag"
    ledning_brottsforebyggande = "ledning_brottsforebyggande"
    ledningsfunktion = "ledningsfunktion"
    styrfunktion = "styrfunktion"
    uppfoljningsfunktion = "uppfoljningsfunktion"
    samordning_mellan_namnder = "samordning_mellan_namnder"
    organisation = "organisation"
    bereda_fullmaktigearenden = "bereda_fullmaktigearenden"
    trygghetsinsatser = "trygghetsinsatser"
    sociala_insatser = "sociala_insatser"
    tillsyn = "tillsyn"
    annan = "annan"


class FunktionsUppgift(StrEnum):
    samordna_och_stodja = "samordna_och_stodja"
    kontaktpunkt = "kontaktpunkt"
    informationsspridning = "informationsspridning"
    ta_fram_lagesbild = "ta_fram_lagesbild"
    folja_upp = "folja_upp"


class BeslutTyp(StrEnum):
    beslut = "beslut"
    anmalan = "anmalan"
    oversandning = "oversandning"
    bemyndigande = "bemyndigande"
    delegation = "delegation"
    uppdrag = "uppdrag"
    ledningsansvar = "ledningsansvar"
    """Kommunfullmäktige designates (in `till`) the body that leads the crime-prevention work (13 §)."""


class DokumentTyp(StrEnum):
    lagesbild = "lagesbild"
    atgardsplan = "atgardsplan"
    uppfoljning = "uppfoljning"
    medborgarlofte = "medborgarlofte"
    kommunikationsplan = "kommunikationsplan"
    handbok = "handbok"
    rapport = "rapport"
    riktlinje = "riktlinje"
    program = "program"
    annat = "annat"


class Preventionsniva(StrEnum):
    """Brå/Barriärer mot brott: breda och tidiga, riskgrupper, personer som redan begår brott."""

    bred = "bred"
    riskgrupper = "riskgrupper"
    aktiva = "aktiva"


class AtgardsUppgift(StrEnum):
    """What a measure in an åtgärdsplan can state."""

    beskrivning = "beskrivning"
    problem = "problem"
    operativt_mal = "operativt_mal"
    period = "period"
    ansvar_genomforande = "ansvar_genomforande"
    ansvar_uppfoljning = "ansvar_uppfoljning"
    uppfoljningsdatum = "uppfoljningsdatum"
    ny_eller_befintlig = "ny_eller_befintlig"
    preventionsniva = "preventionsniva"
    preventionstyp = "preventionstyp"
    kostnad = "kostnad"


class Andel(StrEnum):
    alla = "alla"
    flertalet = "flertalet"
    halften = "halften"
    fatal = "fatal"
    inga = "inga"


# --- parts of the case --------------------------------------------------------------------------


class Kommun(Model):
    namn: Text
    """Kommunens namn som det skrivs i rapporten, t.ex. "Exempelby kommun"."""
    kod: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    """Kommunkod (fyra siffror, SCB), skriven inom citattecken: "0123"."""
    genitiv: Annotated[Text | None, NONE] = None
    """Genitivform om den inte bildas med -s, t.ex. "Exempelby kommuns"."""


class Granskning(Model):
    datum: Annotated[dt.date, Strict(), Field(ge=IN_FORCE, le=LATEST)]
    """Granskningens avstämningsdatum (ÅÅÅÅ-MM-DD), tidigast 2023-07-01 då lagen trädde i kraft.
    Tidsfrister räknas mot det, och uppgifter daterade efter det räknas inte."""
    granskade_organ: Annotated[list[OrganRef], Field(min_length=1)]
    """De granskade organen (id i `organ`), i den ordning rapporten nämner dem."""
    titel: Annotated[Text | None, NONE] = None


class Kalla(Model):
    id: Id
    typ: KallTyp
    titel: Text
    datum: Date | None = None
    paragraf: Text | None = None
    """Paragraf, punkt eller sida, t.ex. "§ 71" eller "s. 9ff"."""
    url: Text | None = None


class Medlem(Cited):
    organisation: PartRef
    """Vilken organisation ledamoten företräder (id i `organ` eller `aktorer`)."""
    befattning: Text | None = None
    roll: Roll | None = None
    ledande_befattning: StrictBool | None = None
    """Om företrädaren har en ledande befattning i sin organisation."""
    kanal_till_organisation: StrictBool | None = None
    """Om det finns en etablerad väg från forumet in i den egna organisationen (återrapportering)."""


class Organ(Cited):
    id: Id
    namn: Text
    typ: OrganTyp
    genitiv: Annotated[Text | None, NONE] = None
    kortnamn: Annotated[Text | None, NONE] = None
    tillhor: Annotated[OrganRef | None, NONE] = None
    """Organet det hör till: en förvaltning under sin nämnd, ett utskott under sin styrelse."""
    niva: Niva | None = None
    inriktning: list[Inriktning] | None = None
    """Social och/eller situationell prevention."""
    brottsforebyggande: StrictBool | None = None
    """Om organets uppdrag avser brottsförebyggande eller trygghetsskapande arbete."""
    inrattad_av: OrganRef | None = None
    inrattad_datum: Annotated[Date | None, SINCE] = None
    """När organet inrättades; ett organ inrättat efter granskningsdatum räknas inte."""
    aktiv: StrictBool | None = None
    """Om organet är verksamt på granskningsdatum."""
    leds_av: Annotated[list[PartRef] | None,
                       BeforeValidator(_one_or_many, json_schema_input_type=PartRef | list[PartRef] | None)] = None
    """Vem som leder eller sammankallar (id i `organ` eller `aktorer`); flera id om ledningen är delad."""
    roterande_ordforandeskap: StrictBool | None = None
    """Om ordförandeskapet roterar mellan dem som anges i `leds_av`."""
    medlemmar: list[Medlem] | None = None
    motesfrekvens_per_ar: Count | None = None
    rapporterar_till: list[OrganRef] | None = None
    styrs_av: list[OrganRef] | None = None
    """Vilka organ som ger organet mandat och uppdrag."""
    uppgifter: list[FunktionsUppgift] | None = None
    """Uppgifter som organet har enligt beslut eller överenskommelse (för en samordningsfunktion)."""


class Aktor(Cited):
    id: Id
    namn: Text
    typ: AktorTyp


class ReglementeUppgift(Cited):
    typ: UppgiftTyp
    paragraf: Text
    text: Text | None = None


class Reglemente(Cited):
    id: Id
    organ: OrganRef
    titel: Text
    datum: Annotated[Date | None, SINCE] = None
    """Datum då reglementet (i denna lydelse) antogs; per organ gäller det senaste på granskningsdatum."""
    uppgifter: list[ReglementeUppgift]
    """Uppgifter reglementet ger organet; en tom lista betyder att inga relevanta uppgifter finns."""


class Period(Model):
    fran: Date
    till: Annotated[Date | None, NONE] = None
    """Slutdatum; utelämnat = tills vidare."""


class Dokument(Cited):
    id: Id
    titel: Text
    datum: Annotated[Date | None, SINCE] = None
    """Datum då dokumentet (eller dess senaste version) blev klart; ett dokument daterat efter
    granskningsdatum räknas inte."""
    framtagen_av: PartRef | None = None
    uppdragsgivare: PartRef | None = None
    """Det organ som gav uppdraget att ta fram dokumentet."""


class LagesbildInnehall(Model):
    kartlaggning: StrictBool | None = None
    """Kartläggning av brottsligheten."""
    omfattning: StrictBool | None = None
    konsekvenser: StrictBool | None = None
    annan_information: StrictBool | None = None
    analys: StrictBool | None = None
    orsaksanalys: StrictBool | None = None
    """Analys av möjliga bakomliggande orsaker till brottsproblemen."""
    befintliga_insatser: StrictBool | None = None
    """Om befintliga brottsförebyggande insatser är kartlagda."""
    kategorier: list[Text] | None = None
    antal_slutsatser: Count | None = None


class Lagesbild(Dokument):
    innehall: LagesbildInnehall | None = None
    fokusomraden: list[Text] | None = None
    uppdateringsintervall_ar: Annotated[StrictInt, Field(ge=1)] | Literal[False] | None = None
    """Hur ofta lägesbilden ska uppdateras (år); `false` = inget intervall är bestämt."""
    integrerad_med: list[Text] | None = None
    """Annat analys- och planeringsarbete (enligt andra författningar) som lägesbilden bygger på."""


class Fokusomrade(Model):
    namn: Text
    antal_atgarder: Count | None = None


class Atgard(Cited):
    namn: Text
    fokusomrade: Text | None = None
    beskrivning: Text | None = None
    problem: Text | None = None
    operativt_mal: Text | None = None
    period: Period | None = None
    ansvar_genomforande: Text | None = None
    ansvar_uppfoljning: Text | None = None
    uppfoljningsdatum: Date | None = None
    ny: StrictBool | None = None
    """Ny insats (true) eller befintlig (false)."""
    preventionsniva: Preventionsniva | None = None
    preventionstyp: Inriktning | None = None
    kostnad: Text | None = None


class AtgardsSammanstallning(Model):
    """Aggregated facts, for plans whose measures are not recorded one by one."""

    antal: Count
    alla_anger: list[AtgardsUppgift] = []
    """Uppgifter som samtliga åtgärder anger."""
    ingen_anger: list[AtgardsUppgift] = []
    """Uppgifter som ingen åtgärd anger."""
    andel_befintliga: Andel | None = None
    """Hur stor del av åtgärderna som är befintliga (redan pågående) insatser."""


class Atgardsplan(Dokument):
    period: Period | None = None
    underlag: list[DokumentRef] | None = None
    """Lägesbild(er) planen bygger på."""
    uppfoljningsintervall_ar: Annotated[StrictInt, Field(ge=1)] | Literal[False] | None = None
    """Hur ofta planen ska följas upp (år); `false` = planen anger ingen uppföljning."""
    riktad_mot_orsaker: StrictBool | None = None
    """Om planen anger att åtgärderna riktas mot orsaker som identifierats i lägesbilden."""
    metodstod: StrictBool | None = None
    """Om planen anger att åtgärderna vilar på beprövade eller utvärderade metoder."""
    preventionsnivaer: list[Preventionsniva] | None = None
    """Preventionsnivåer som planen beskriver."""
    preventionstyper: list[Inriktning] | None = None
    """Social och/eller situationell prevention som planen beskriver."""
    fokusomraden: list[Fokusomrade] | None = None
    atgarder: list[Atgard] | None = None
    sammanstallning: Annotated[AtgardsSammanstallning | None, NONE] = None

    @property
    def antal_atgarder(self) -> int | None:
        if self.atgarder is not None:
            return len(self.atgarder)
        return self.sammanstallning.antal if self.sammanstallning else None

    @property
    def anger(self) -> dict[str, str | None]:
        """For each AtgardsUppgift: 'alla', 'vissa', 'inga' or None (unknown), from either form."""
        out: dict[str, str | None] = {}
        for item in AtgardsUppgift:
            if self.atgarder is not None:
                field = "ny" if item is AtgardsUppgift.ny_eller_befintlig else item.value
                n = sum(getattr(a, field) is not None for a in self.atgarder)
                out[item.value] = "inga" if n == 0 else "alla" if n == len(self.atgarder) else "vissa"
            elif self.sammanstallning is not None:
                s = self.sammanstallning
                out[item.value] = "alla" if item in s.alla_anger else "inga" if item in s.ingen_anger else None
            else:
                out[item.value] = None
        return out

    @property
    def andel_befintliga(self) -> str | None:
        if self.atgarder is not None:
            known = [a.ny for a in self.atgarder]
            if not known or None in known:
                return None
            old = known.count(False) / len(known)
            return "alla" if old == 1 else "flertalet" if old > 0.5 else "halften" if old == 0.5 \
                else "inga" if old == 0 else "fatal"
        return self.sammanstallning.andel_befintliga if self.sammanstallning else None


class Uppfoljning(Dokument):
    avser: list[DokumentRef]
    """Dokument som följs upp (åtgärdsplan, lägesbild)."""
    omfattar_alla_atgarder: StrictBool | None = None
    per_fokusomrade: StrictBool | None = None


class Medborgarlofte(Dokument):
    parter: list[PartRef]
    period: Period | None = None
    omrade: Text | None = None
    antal_loften: Count | None = None


class OvrigtDokument(Dokument):
    typ: DokumentTyp


class Dokumentsamling(Model):
    lagesbilder: list[Lagesbild] | None = None
    atgardsplaner: list[Atgardsplan] | None = None
    uppfoljningar: list[Uppfoljning] | None = None
    medborgarloften: list[Medborgarlofte] | None = None
    ovriga: list[OvrigtDokument] | None = None


class Beslut(Cited):
    id: Id
    organ: OrganRef
    """Organet som fattade beslutet."""
    datum: Annotated[Date | None, SINCE] = None
    """Beslutsdatum; ett beslut efter granskningsdatum räknas inte."""
    paragraf: Text | None = None
    typ: BeslutTyp
    rubrik: Text | None = None
    dokument: list[DokumentRef] = []
    """Dokument eller överenskommelser (id) som beslutet gäller."""
    arende: Annotated[Text | None, NONE] = None
    """Ärendet (t.ex. diarienummer) som flera beslut hör till."""
    till: list[OrganRef] = []
    """Mottagare vid översändning, bemyndigande, delegation eller uppdrag."""
    avser: list[DokumentTyp] = []
    """Dokumenttyper som ett bemyndigande, en delegation eller ett uppdrag gäller."""
    pa_uppdrag_av: Annotated[OrganRef | None, NONE] = None
    """Om beslutet fattades på uppdrag av ett annat organ."""
    med_stod_av: list[Annotated[str, Ref("beslut")]] = []
    """Bemyndigande eller delegation (id i `beslut`) som beslutet fattades med stöd av."""


class Overenskommelse(Cited):
    id: Id
    titel: Text
    parter: Annotated[list[PartRef], Field(min_length=2)]
    datum: Annotated[Date | None, SINCE] = None
    """Datum då överenskommelsen ingicks; en överenskommelse ingången efter granskningsdatum räknas inte."""
    giltig_fran: Date | None = None
    giltig_till: Date | None = None
    tills_vidare: Annotated[StrictBool | None, NONE] = None
    """Gäller tills vidare (utan slutdatum); utelämnat = nej."""
    brottsforebyggande: StrictBool | None = None
    """Om överenskommelsen avser brottsförebyggande samverkan."""
    syften: list[Text] | None = None
    omraden: list[Text] | None = None
    uppfoljning: Text | None = None
    """Hur överenskommelsen följs upp."""
    medborgarloften: StrictBool | None = None
    """Om överenskommelsen omfattar arbete med medborgarlöften."""


class Rapport(Cited):
    datum: Annotated[Date, SINCE]
    fran: OrganRef
    amne: Text
    dokument: list[DokumentRef] = []


class Bedomning(Model):
    """En manuell bedömning: revisorns egen bedömning av ett kriterium, som ersätter regelns."""

    regel: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    """Regelns id (t.ex. "ledning-och-rapportering") eller rapportens rad: "T4.1", "Q3" eller "S"."""
    bedomning: Text
    """Revisorns bedömning, på regelns skala (t.ex. "Inte helt")."""
    motivering: Text
    """Varför revisorn bedömer annorlunda än regeln."""
    av: Text
    """Vem som gjort bedömningen."""
    datum: Date
    """När bedömningen gjordes (ÅÅÅÅ-MM-DD)."""
    upphor: Date | None = None
    """Sista dag bedömningen gäller; efter den (räknat mot granskningsdatum) gäller regelns bedömning."""


ParameterValue = StrictBool | StrictInt | Text | list[Text]
"""An audit parameter's value in a case file; its type is checked against the rule set's declaration."""


class Case(Model):
    """En ärendefil: en kommuns iakttagna fakta om det brottsförebyggande arbetet."""

    kommun: Kommun
    granskning: Granskning
    kallor: list[Kalla] = []
    organ: list[Organ]
    aktorer: list[Aktor] = []
    reglementen: list[Reglemente] | None = None
    dokument: Dokumentsamling = Dokumentsamling()
    beslut: list[Beslut] | None = None
    overenskommelser: list[Overenskommelse] | None = None
    rapporter_till_kf: list[Rapport] | None = None
    """Rapporter om det brottsförebyggande arbetet till kommunfullmäktige; tom lista = inga."""
    bedomningar: list[Bedomning] = []
    """Revisorns manuella bedömningar; de visas bredvid reglernas bedömningar, med motivering."""
    parametrar: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)],
                     ParameterValue] = {}
    """Revisionsparametrar som avviker från regeluppsättningens standardvärden, t.ex.
    `beredning_max_dagar: 120`. Namn och tillåtna värden anges i regeluppsättningen."""


# --- references ---------------------------------------------------------------------------------


def _ref_kind(annotation: Any) -> tuple[str | None, bool]:
    """(namespace, is_list) for a field annotation that is, or contains, a Ref."""
    args = get_args(annotation)
    if get_origin(annotation) is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, Ref):
                return meta.kind, False
    for arg in args:
        kind, many = _ref_kind(arg)
        if kind:
            return kind, many or get_origin(annotation) is list
    return None, False


@functools.cache
def _ref_fields(model: type[BaseModel]) -> tuple[tuple[str, str | None], ...]:
    """(field name, namespace or None) for each field of `model`, computed once per class."""
    # Pydantic moves a bare field's Annotated metadata to FieldInfo.metadata.
    return tuple((name, next((m.kind for m in info.metadata if isinstance(m, Ref)), None)
                  or _ref_kind(info.annotation)[0]) for name, info in model.model_fields.items())


def _walk(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, str, str]]:
    """Yield (path, namespace, id) for every reference in `obj`."""
    if isinstance(obj, BaseModel):
        for name, kind in _ref_fields(type(obj)):
            value = getattr(obj, name)
            if kind and isinstance(value, str):
                yield (*path, name), kind, value
            elif kind and isinstance(value, list):
                for i, v in enumerate(value):
                    yield (*path, name, i), kind, v
            elif isinstance(value, BaseModel | list):  # scalars hold no references
                yield from _walk(value, (*path, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, (*path, i))


def namespaces(case: Case) -> dict[str, dict[str, DataPath]]:
    """Every id the case defines, by namespace, with the path where it is defined."""
    ns: dict[str, dict[str, DataPath]] = {k: {} for k in ("organ", "aktor", "kalla", "dokument", "beslut")}
    for i, o in enumerate(case.organ):
        ns["organ"][o.id] = ("organ", i, "id")
    for i, a in enumerate(case.aktorer):
        ns["aktor"][a.id] = ("aktorer", i, "id")
    for i, k in enumerate(case.kallor):
        ns["kalla"][k.id] = ("kallor", i, "id")
    for i, b in enumerate(case.beslut or []):
        ns["beslut"][b.id] = ("beslut", i, "id")
    for group in Dokumentsamling.model_fields:
        for i, d in enumerate(getattr(case.dokument, group) or []):
            ns["dokument"][d.id] = ("dokument", group, i, "id")
    for i, agreement in enumerate(case.overenskommelser or []):
        ns["dokument"][agreement.id] = ("overenskommelser", i, "id")
    return ns


def check_references(case: Case) -> list[tuple[DataPath, str]]:
    """(path, message) for every duplicate id and every reference to an id that does not exist."""
    ns = namespaces(case)
    problems = [(where, f"id {ident!r} förekommer mer än en gång: varje id ska vara unikt i filen")
                for ident, where in _duplicates(case)]
    labels = {"organ": "okänt organ", "aktor": "okänd aktör", "part": "okänt organ eller okänd aktör",
              "kalla": "okänd källa", "dokument": "okänt dokument", "beslut": "okänt beslut"}
    sections = {"organ": "`organ`", "aktor": "`aktorer`", "part": "`organ` eller `aktorer`",
                "kalla": "`kallor`", "dokument": "`dokument`", "beslut": "`beslut`"}
    for path, kind, ident in _walk(case, ()):
        known = (ns["organ"].keys() | ns["aktor"].keys()) if kind == "part" else ns[kind].keys()
        if ident not in known:
            hint = ", ".join(sorted(known)[:8]) or "inga finns"
            problems.append((path, f"{labels[kind]} {ident!r}: rätta id:t eller lägg till posten under "
                                   f"{sections[kind]} (finns: {hint})"))
    return problems


def _duplicates(case: Case) -> Iterator[tuple[str, DataPath]]:
    lists: list[tuple[DataPath, list[Any]]] = [
        (("organ",), case.organ), (("aktorer",), case.aktorer), (("kallor",), case.kallor),
        (("beslut",), case.beslut or []), (("overenskommelser",), case.overenskommelser or []),
        (("reglementen",), case.reglementen or []),
    ]
    lists += [(("dokument", g), getattr(case.dokument, g) or []) for g in Dokumentsamling.model_fields]
    seen: set[str] = set()
    for base, items in lists:
        for i, item in enumerate(items):
            if item.id in seen:
                yield item.id, (*base, i, "id")
            seen.add(item.id)

