"""The case file: a municipality's crime-prevention facts as Pydantic models.

Principles (see design notes): observations only, never verdicts; a key left out (None) is unknown,
an empty list or `false` is a recorded "none". Field docstrings are the Swedish descriptions users
see in their editor through the generated JSON Schema.

References between parts of the case (a decision's body, a member's organisation, a fact's source)
are plain ids annotated with `Ref(...)`; `check_references` validates them all in one generic pass.
"""

# No `from __future__ import annotations`: Pydantic would evaluate every field's annotation from a string
# as each class is created (a tenth of this module's import, which every run pays).
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


def none_listed() -> Any:
    """The default of a list that may be left out: none, `[]`. Made by `list()` for each instance: a `[]`
    default is copied by Pydantic with copy.deepcopy, in Python, for every instance that leaves the field
    out (`kallor` is on every cited model). The JSON schema still gives `"default": []`."""
    return Field(default_factory=list, json_schema_extra={"default": []})


class Model(BaseModel):
    """A part of the case file. Built on first validation (`defer_build`); the field docstrings are read
    only by `brocheck schema` (brocheck.schemadoc), not by Pydantic at import."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Cited(Model):
    kallor: list[KallRef] = none_listed()
    """Källor (id i `kallor`) som styrker uppgiften."""


# --- enumerations -------------------------------------------------------------------------------


class KallTyp(StrEnum):
    protokoll = "protokoll"
    """Protokoll från ett sammanträde."""
    styrdokument = "styrdokument"
    """Styrdokument: reglemente, policy, program, plan."""
    dokument = "dokument"
    """Annat dokument (rapport, tjänsteskrivelse …)."""
    avtal = "avtal"
    """Avtal eller skriftlig överenskommelse."""
    intervju = "intervju"
    """Intervju som revisorn har gjort."""
    webbsida = "webbsida"
    """Webbsida."""
    lag = "lag"
    """Lag eller förordning."""
    forarbete = "forarbete"
    """Förarbete: proposition, utredning."""
    vagledning = "vagledning"
    """Vägledning, t.ex. från Brottsförebyggande rådet."""


class OrganTyp(StrEnum):
    kommun = "kommun"
    """Kommunen som juridisk person, t.ex. part i en överenskommelse."""
    kommunfullmaktige = "kommunfullmaktige"
    """Kommunfullmäktige."""
    kommunstyrelse = "kommunstyrelse"
    """Kommunstyrelsen."""
    namnd = "namnd"
    """En facknämnd."""
    utskott = "utskott"
    """Ett utskott under en styrelse eller nämnd."""
    forvaltning = "forvaltning"
    """En förvaltning (tjänstepersonsorganisation) under en nämnd eller styrelsen."""
    bolag = "bolag"
    """Ett kommunalt bolag."""
    rad = "rad"
    """Ett råd, t.ex. det lokala brottsförebyggande rådet."""
    styrgrupp = "styrgrupp"
    """En styrgrupp."""
    beredningsgrupp = "beredningsgrupp"
    """En beredningsgrupp."""
    arbetsgrupp = "arbetsgrupp"
    """En arbetsgrupp."""
    natverk = "natverk"
    """Ett nätverk."""
    samordningsfunktion = "samordningsfunktion"
    """Samordningsfunktionen för det brottsförebyggande arbetet (Lag (2023:196) 11 §)."""
    annat = "annat"
    """Annat slags organ."""


class Niva(StrEnum):
    ledning = "ledning"
    """Ledningsnivå: fullmäktige, styrelse, ledningsgrupper."""
    strategisk = "strategisk"
    """Strategisk nivå, t.ex. ett strategiskt råd."""
    central = "central"
    """Central nivå: kommunövergripande arbetsgrupper och funktioner."""
    lokal = "lokal"
    """Lokal nivå: grupper för ett område eller en stadsdel."""


class Inriktning(StrEnum):
    social = "social"
    """Social prevention: minskar benägenheten att begå brott."""
    situationell = "situationell"
    """Situationell prevention: minskar tillfällena att begå brott."""


class AktorTyp(StrEnum):
    polis = "polis"
    """Polismyndigheten (lokalpolisområdet)."""
    region = "region"
    """Regionen."""
    statlig_myndighet = "statlig_myndighet"
    """Annan statlig myndighet."""
    raddningstjanst = "raddningstjanst"
    """Räddningstjänsten."""
    kollektivtrafik = "kollektivtrafik"
    """Kollektivtrafiken."""
    kommunalforbund = "kommunalforbund"
    """Ett kommunalförbund."""
    kommun = "kommun"
    """En annan kommun, t.ex. i ett råd eller en överenskommelse som flera kommuner delar."""
    naringsliv = "naringsliv"
    """Företag och näringslivets organisationer."""
    civilsamhalle = "civilsamhalle"
    """Föreningar och andra organisationer i civilsamhället."""
    annan = "annan"
    """Annan aktör."""


class Roll(StrEnum):
    kommunstyrelsens_ordforande = "kommunstyrelsens_ordforande"
    """Kommunstyrelsens ordförande."""
    kommunalrad = "kommunalrad"
    """Kommunalråd."""
    fortroendevald = "fortroendevald"
    """Annan förtroendevald."""
    kommundirektor = "kommundirektor"
    """Kommundirektör."""
    lokalpolisomradeschef = "lokalpolisomradeschef"
    """Chef för lokalpolisområdet."""
    kommunpolis = "kommunpolis"
    """Kommunpolis."""
    forvaltningschef = "forvaltningschef"
    """Förvaltningschef."""
    verksamhetschef = "verksamhetschef"
    """Verksamhetschef."""
    bolagschef = "bolagschef"
    """Vd eller chef för ett bolag."""
    chef = "chef"
    """Annan chef."""
    samordnare = "samordnare"
    """Samordnare."""
    tjansteperson = "tjansteperson"
    """Tjänsteperson utan chefsroll."""
    annan = "annan"
    """Annan roll."""


class UppgiftTyp(StrEnum):
    """Uppgifter som ett reglemente ger ett organ, med lagens och kommunallagens begrepp."""

    brottsforebyggande_lag = "brottsforebyggande_lag"
    """Handha kommunens ansvar enligt Lag (2023:196) (innefattar ledningen enligt 13 §)."""
    ledning_brottsforebyggande = "ledning_brottsforebyggande"
    """Leda kommunens brottsförebyggande arbete (13 §)."""
    ledningsfunktion = "ledningsfunktion"
    """Leda och samordna förvaltningen av kommunens angelägenheter och ha uppsikt över övriga nämnder
    (KL 6 kap. 1 §)."""
    styrfunktion = "styrfunktion"
    """Leda verksamheten genom samordnad styrning och leda arbetet med att ta fram styrdokument."""
    uppfoljningsfunktion = "uppfoljningsfunktion"
    """Följa upp målen och verksamheten och återrapportera till fullmäktige."""
    samordning_mellan_namnder = "samordning_mellan_namnder"
    """Besluta om samordning och gränsdragning mellan nämnderna."""
    organisation = "organisation"
    """Ansvara för att en effektiv och ändamålsenlig organisation upprätthålls."""
    bereda_fullmaktigearenden = "bereda_fullmaktigearenden"
    """Bereda ärenden som fullmäktige ska handlägga (KL 5 kap. 26–28 §§)."""
    trygghetsinsatser = "trygghetsinsatser"
    """Ansvara för trygghetsskapande insatser."""
    sociala_insatser = "sociala_insatser"
    """Ansvara för sociala insatser."""
    tillsyn = "tillsyn"
    """Tillsyn."""
    annan = "annan"
    """Annan relevant uppgift."""


class FunktionsUppgift(StrEnum):
    samordna_och_stodja = "samordna_och_stodja"
    """Samordna och stödja det brottsförebyggande arbetet (Lag (2023:196) 12 § 1)."""
    kontaktpunkt = "kontaktpunkt"
    """Vara kontaktpunkt för andra aktörer (12 § 2)."""
    informationsspridning = "informationsspridning"
    """Sprida information om arbetet (12 § 3)."""
    ta_fram_lagesbild = "ta_fram_lagesbild"
    """Ta fram lägesbilden."""
    folja_upp = "folja_upp"
    """Följa upp arbetet."""


class BeslutTyp(StrEnum):
    beslut = "beslut"
    """Ett beslut i sak, t.ex. att anta eller godkänna ett dokument."""
    anmalan = "anmalan"
    """En anmälan för kännedom (anmälningsärende): inget beslut i sak."""
    oversandning = "oversandning"
    """Ärendet översänds till ett annat organ (`till`)."""
    bemyndigande = "bemyndigande"
    """Kommunfullmäktige bemyndigar ett organ (`till`) att besluta om något (`avser`)."""
    delegation = "delegation"
    """Beslutanderätt delegeras till ett annat organ eller en tjänsteperson (`till`)."""
    uppdrag = "uppdrag"
    """Ett organ får i uppdrag (`till`) att ta fram något (`avser`)."""
    ledningsansvar = "ledningsansvar"
    """Kommunfullmäktige utser organet (`till`) som leder det brottsförebyggande arbetet (13 §)."""


class DokumentTyp(StrEnum):
    lagesbild = "lagesbild"
    """Lägesbild."""
    atgardsplan = "atgardsplan"
    """Åtgärdsplan."""
    uppfoljning = "uppfoljning"
    """Uppföljning."""
    medborgarlofte = "medborgarlofte"
    """Medborgarlöfte."""
    kommunikationsplan = "kommunikationsplan"
    """Kommunikationsplan."""
    handbok = "handbok"
    """Handbok."""
    rapport = "rapport"
    """Rapport."""
    riktlinje = "riktlinje"
    """Riktlinje."""
    program = "program"
    """Program."""
    annat = "annat"
    """Annat dokument."""


class Preventionsniva(StrEnum):
    """Brå/Barriärer mot brott: breda och tidiga, riskgrupper, personer som redan begår brott."""

    bred = "bred"
    """Breda och tidiga insatser till alla."""
    riskgrupper = "riskgrupper"
    """Insatser för riskgrupper."""
    aktiva = "aktiva"
    """Insatser för personer som redan begår brott."""


class AtgardsUppgift(StrEnum):
    """Uppgifter som en åtgärd i en åtgärdsplan kan ange."""

    beskrivning = "beskrivning"
    """En beskrivning av åtgärden."""
    problem = "problem"
    """Problemet åtgärden ska förebygga."""
    operativt_mal = "operativt_mal"
    """Ett operativt mål."""
    period = "period"
    """När åtgärden genomförs."""
    ansvar_genomforande = "ansvar_genomforande"
    """Vem som ansvarar för genomförandet."""
    ansvar_uppfoljning = "ansvar_uppfoljning"
    """Vem som ansvarar för uppföljningen."""
    uppfoljningsdatum = "uppfoljningsdatum"
    """När åtgärden följs upp."""
    ny_eller_befintlig = "ny_eller_befintlig"
    """Om åtgärden är ny eller redan pågick."""
    preventionsniva = "preventionsniva"
    """Vilken preventionsnivå åtgärden riktar sig till."""
    preventionstyp = "preventionstyp"
    """Social eller situationell prevention."""
    kostnad = "kostnad"
    """Åtgärdens kostnad."""


class Andel(StrEnum):
    alla = "alla"
    """Samtliga."""
    flertalet = "flertalet"
    """Fler än hälften."""
    halften = "halften"
    """Hälften."""
    fatal = "fatal"
    """Färre än hälften, men några."""
    inga = "inga"
    """Inga."""


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
    """Granskningens titel som den står i rapporten."""


class Kalla(Model):
    id: Id
    """Källans id, som uppgifterna hänvisar till i `kallor`."""
    typ: KallTyp
    """Vilket slags källa det är."""
    titel: Text
    """Källans titel, t.ex. "Kommunstyrelsens protokoll"."""
    datum: Date | None = None
    """Källans datum (för protokoll: sammanträdesdagen)."""
    paragraf: Text | None = None
    """Paragraf, punkt eller sida, t.ex. "§ 71" eller "s. 9ff"."""
    url: Text | None = None
    """Adress där källan finns, om den är publicerad."""


class Medlem(Cited):
    organisation: PartRef
    """Vilken organisation ledamoten företräder (id i `organ` eller `aktorer`)."""
    befattning: Text | None = None
    """Företrädarens befattning, som den står i dokumenten."""
    roll: Roll | None = None
    """Företrädarens roll, i brochecks ordförråd."""
    ledande_befattning: StrictBool | None = None
    """Om företrädaren har en ledande befattning i sin organisation."""
    kanal_till_organisation: StrictBool | None = None
    """Om det finns en etablerad väg från forumet in i den egna organisationen (återrapportering)."""


class Organ(Cited):
    id: Id
    """Organets id, som andra uppgifter hänvisar till (t.ex. `ks`)."""
    namn: Text
    """Organets namn som det skrivs i rapporten."""
    typ: OrganTyp
    """Vilket slags organ det är; reglerna hittar organ genom typen, aldrig genom namnet."""
    genitiv: Annotated[Text | None, NONE] = None
    """Genitivform om den inte bildas med -s."""
    kortnamn: Annotated[Text | None, NONE] = None
    """Förkortning som dokumenten använder, t.ex. "Brå"."""
    tillhor: Annotated[OrganRef | None, NONE] = None
    """Organet det hör till: en förvaltning under sin nämnd, ett utskott under sin styrelse."""
    niva: Niva | None = None
    """Nivå i organisationen: ledning, strategisk, central eller lokal."""
    inriktning: list[Inriktning] | None = None
    """Social och/eller situationell prevention."""
    brottsforebyggande: StrictBool | None = None
    """Om organets uppdrag avser brottsförebyggande eller trygghetsskapande arbete."""
    inrattad_av: OrganRef | None = None
    """Organet som inrättade det (id i `organ`)."""
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
    """Ledamöter eller deltagare, med vilken organisation de företräder; tom lista = inga."""
    motesfrekvens_per_ar: Count | None = None
    """Antal möten per år."""
    rapporterar_till: list[OrganRef] | None = None
    """Organ som organet rapporterar till (id i `organ`)."""
    styrs_av: list[OrganRef] | None = None
    """Vilka organ som ger organet mandat och uppdrag."""
    uppgifter: list[FunktionsUppgift] | None = None
    """Uppgifter som organet har enligt beslut eller överenskommelse (för en samordningsfunktion)."""


class Aktor(Cited):
    id: Id
    """Aktörens id, som andra uppgifter hänvisar till (t.ex. `polis`)."""
    namn: Text
    """Aktörens namn, t.ex. "Lokalpolisområde Exempelby"."""
    typ: AktorTyp
    """Vilket slags aktör det är."""


class ReglementeUppgift(Cited):
    typ: UppgiftTyp
    """Vilket slags uppgift reglementet ger organet."""
    paragraf: Text
    """Var i reglementet uppgiften står, t.ex. "§ 4"."""
    text: Text | None = None
    """Reglementets formulering, om den citeras."""


class Reglemente(Cited):
    id: Id
    """Reglementets id."""
    organ: OrganRef
    """Organet reglementet gäller (id i `organ`)."""
    titel: Text
    """Reglementets titel."""
    datum: Annotated[Date | None, SINCE] = None
    """Datum då reglementet (i denna lydelse) antogs; per organ gäller det senaste på granskningsdatum."""
    uppgifter: list[ReglementeUppgift]
    """Uppgifter reglementet ger organet; en tom lista betyder att inga relevanta uppgifter finns."""


class Period(Model):
    fran: Date
    """Första dag."""
    till: Annotated[Date | None, NONE] = None
    """Slutdatum; utelämnat = tills vidare."""


class Dokument(Cited):
    id: Id
    """Dokumentets id, som beslut och andra dokument hänvisar till."""
    titel: Text
    """Dokumentets titel."""
    datum: Annotated[Date | None, SINCE] = None
    """Datum då dokumentet (eller dess senaste version) blev klart; ett dokument daterat efter
    granskningsdatum räknas inte."""
    framtagen_av: PartRef | None = None
    """Vem som tog fram dokumentet (id i `organ` eller `aktorer`)."""
    uppdragsgivare: PartRef | None = None
    """Det organ som gav uppdraget att ta fram dokumentet."""


class LagesbildInnehall(Model):
    kartlaggning: StrictBool | None = None
    """Kartläggning av brottsligheten."""
    omfattning: StrictBool | None = None
    """Om lägesbilden beskriver brottslighetens omfattning."""
    konsekvenser: StrictBool | None = None
    """Om lägesbilden beskriver brottslighetens konsekvenser."""
    annan_information: StrictBool | None = None
    """Om lägesbilden innehåller annan information av betydelse i sammanhanget (4 § 2)."""
    analys: StrictBool | None = None
    """Om lägesbilden innehåller en analys av kartläggningen och informationen (4 § 3)."""
    orsaksanalys: StrictBool | None = None
    """Analys av möjliga bakomliggande orsaker till brottsproblemen."""
    befintliga_insatser: StrictBool | None = None
    """Om befintliga brottsförebyggande insatser är kartlagda."""
    kategorier: list[Text] | None = None
    """Brottskategorier som kartläggs."""
    antal_slutsatser: Count | None = None
    """Antal slutsatser som analysen drar."""


class Lagesbild(Dokument):
    innehall: LagesbildInnehall | None = None
    """Vad lägesbilden innehåller, del för del."""
    fokusomraden: list[Text] | None = None
    """Lägesbildens fokusområden, som text."""
    uppdateringsintervall_ar: Annotated[StrictInt, Field(ge=1)] | Literal[False] | None = None
    """Hur ofta lägesbilden ska uppdateras (år); `false` = inget intervall är bestämt."""
    integrerad_med: list[Text] | None = None
    """Annat analys- och planeringsarbete (enligt andra författningar) som lägesbilden bygger på."""


class Fokusomrade(Model):
    namn: Text
    """Fokusområdets namn."""
    antal_atgarder: Count | None = None
    """Antal åtgärder inom fokusområdet."""


class Atgard(Cited):
    namn: Text
    """Åtgärdens namn."""
    fokusomrade: Text | None = None
    """Fokusområdet åtgärden hör till."""
    beskrivning: Text | None = None
    """Beskrivning av åtgärden."""
    problem: Text | None = None
    """Problemet åtgärden är avsedd att förebygga."""
    operativt_mal: Text | None = None
    """Åtgärdens operativa mål."""
    period: Period | None = None
    """När åtgärden genomförs."""
    ansvar_genomforande: Text | None = None
    """Vem som ansvarar för att genomföra åtgärden."""
    ansvar_uppfoljning: Text | None = None
    """Vem som ansvarar för att följa upp åtgärden."""
    uppfoljningsdatum: Date | None = None
    """När åtgärden ska följas upp."""
    ny: StrictBool | None = None
    """Ny insats (true) eller befintlig (false)."""
    preventionsniva: Preventionsniva | None = None
    """Preventionsnivån åtgärden riktar sig till."""
    preventionstyp: Inriktning | None = None
    """Social eller situationell prevention."""
    kostnad: Text | None = None
    """Åtgärdens kostnad, som den anges."""


class AtgardsSammanstallning(Model):
    """Åtgärderna sammanfattade, för en plan vars åtgärder inte skrivs en och en."""

    antal: Count
    """Antal åtgärder i planen."""
    alla_anger: list[AtgardsUppgift] = none_listed()
    """Uppgifter som samtliga åtgärder anger."""
    ingen_anger: list[AtgardsUppgift] = none_listed()
    """Uppgifter som ingen åtgärd anger."""
    andel_befintliga: Andel | None = None
    """Hur stor del av åtgärderna som är befintliga (redan pågående) insatser."""


class Atgardsplan(Dokument):
    period: Period | None = None
    """Perioden planen gäller."""
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
    """Planens fokusområden, med antalet åtgärder i vart och ett."""
    atgarder: list[Atgard] | None = None
    """Åtgärderna en och en (annars `sammanstallning`)."""
    sammanstallning: Annotated[AtgardsSammanstallning | None, NONE] = None
    """Åtgärderna sammanfattade, när de inte skrivs en och en i `atgarder`."""

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
    """Om uppföljningen omfattar planens samtliga åtgärder."""
    per_fokusomrade: StrictBool | None = None
    """Om uppföljningen redovisas per fokusområde."""


class Medborgarlofte(Dokument):
    parter: list[PartRef]
    """Parterna (id i `organ` eller `aktorer`), t.ex. kommunen och polisen."""
    period: Period | None = None
    """Perioden löftet gäller."""
    omrade: Text | None = None
    """Området (t.ex. en stadsdel) löftet gäller."""
    antal_loften: Count | None = None
    """Antal löften."""


class OvrigtDokument(Dokument):
    typ: DokumentTyp
    """Vilket slags dokument det är."""


class Dokumentsamling(Model):
    lagesbilder: list[Lagesbild] | None = None
    """Lägesbilder över brottsligheten (Lag (2023:196) 4 §); tom lista = ingen lägesbild finns."""
    atgardsplaner: list[Atgardsplan] | None = None
    """Åtgärdsplaner (Lag (2023:196) 5 §); tom lista = ingen åtgärdsplan finns."""
    uppfoljningar: list[Uppfoljning] | None = None
    """Uppföljningar av åtgärdsplan eller lägesbild; tom lista = inga."""
    medborgarloften: list[Medborgarlofte] | None = None
    """Medborgarlöften med polisen; tom lista = inga."""
    ovriga: list[OvrigtDokument] | None = None
    """Övriga dokument om arbetet (kommunikationsplan, handbok, rapport, riktlinje …); tom lista = inga."""


class Beslut(Cited):
    id: Id
    """Beslutets id."""
    organ: OrganRef
    """Organet som fattade beslutet."""
    datum: Annotated[Date | None, SINCE] = None
    """Beslutsdatum; ett beslut efter granskningsdatum räknas inte."""
    paragraf: Text | None = None
    """Protokollsparagraf, t.ex. "§ 55"."""
    typ: BeslutTyp
    """Vilket slags beslut det är: ett beslut i sak, en anmälan för kännedom, en översändning, ett bemyndigande, en
    delegation eller ett uppdrag."""
    rubrik: Text | None = None
    """Ärendets rubrik i protokollet."""
    dokument: list[DokumentRef] = none_listed()
    """Dokument eller överenskommelser (id) som beslutet gäller."""
    arende: Annotated[Text | None, NONE] = None
    """Ärendet (t.ex. diarienummer) som flera beslut hör till."""
    till: list[OrganRef] = none_listed()
    """Mottagare vid översändning, bemyndigande, delegation eller uppdrag."""
    avser: list[DokumentTyp] = none_listed()
    """Dokumenttyper som ett bemyndigande, en delegation eller ett uppdrag gäller."""
    pa_uppdrag_av: Annotated[OrganRef | None, NONE] = None
    """Om beslutet fattades på uppdrag av ett annat organ."""
    med_stod_av: list[Annotated[str, Ref("beslut")]] = none_listed()
    """Bemyndigande eller delegation (id i `beslut`) som beslutet fattades med stöd av."""


class Overenskommelse(Cited):
    id: Id
    """Överenskommelsens id."""
    titel: Text
    """Överenskommelsens titel."""
    parter: Annotated[list[PartRef], Field(min_length=2)]
    """Parterna (id i `organ` eller `aktorer`), minst två."""
    datum: Annotated[Date | None, SINCE] = None
    """Datum då överenskommelsen ingicks; en överenskommelse ingången efter granskningsdatum räknas inte."""
    giltig_fran: Date | None = None
    """Första dag överenskommelsen gäller."""
    giltig_till: Date | None = None
    """Sista dag överenskommelsen gäller (eller `tills_vidare: true`)."""
    tills_vidare: Annotated[StrictBool | None, NONE] = None
    """Gäller tills vidare (utan slutdatum); utelämnat = nej."""
    brottsforebyggande: StrictBool | None = None
    """Om överenskommelsen avser brottsförebyggande samverkan."""
    syften: list[Text] | None = None
    """Överenskommelsens syften (Lag (2023:196) 9 §)."""
    omraden: list[Text] | None = None
    """Områden samverkan gäller (Lag (2023:196) 9 §)."""
    uppfoljning: Text | None = None
    """Hur överenskommelsen följs upp."""
    medborgarloften: StrictBool | None = None
    """Om överenskommelsen omfattar arbete med medborgarlöften."""


class Rapport(Cited):
    datum: Annotated[Date, SINCE]
    """När rapporten lämnades till kommunfullmäktige."""
    fran: OrganRef
    """Organet som rapporterade (id i `organ`)."""
    amne: Text
    """Vad rapporten handlade om."""
    dokument: list[DokumentRef] = none_listed()
    """Dokument (id) som rapporten gällde."""


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
    """Kommunen som granskas."""
    granskning: Granskning
    """Granskningen: avstämningsdatum, granskade organ och titel."""
    kallor: list[Kalla] = none_listed()
    """Källförteckningen: protokoll, styrdokument, avtal, intervjuer m.m. som uppgifterna hänvisar till med `kallor`."""
    organ: list[Organ]
    """Kommunens organ: fullmäktige, styrelse, nämnder, förvaltningar, råd, styrgrupper, samordningsfunktion m.fl.
    Listan räknas som fullständig: ett organ som inte står här finns inte för reglerna."""
    aktorer: list[Aktor] = none_listed()
    """Externa aktörer (polis, region, myndigheter, föreningar …) som är parter i överenskommelser eller ledamöter i
    kommunens forum."""
    reglementen: list[Reglemente] | None = None
    """Reglementen per organ med de uppgifter de ger; tom lista = inga reglementen med relevanta uppgifter."""
    dokument: Dokumentsamling = Dokumentsamling.model_construct()  # no validation: nothing is built at import
    """Lägesbilder, åtgärdsplaner, uppföljningar, medborgarlöften och övriga dokument."""
    beslut: list[Beslut] | None = None
    """Beslut, anmälningar, översändningar, bemyndiganden, delegationer och uppdrag som rör arbetet;
    tom lista = inga."""
    overenskommelser: list[Overenskommelse] | None = None
    """Skriftliga överenskommelser om samverkan med andra aktörer; tom lista = inga."""
    rapporter_till_kf: list[Rapport] | None = None
    """Rapporter om det brottsförebyggande arbetet till kommunfullmäktige; tom lista = inga."""
    bedomningar: list[Bedomning] = none_listed()
    """Revisorns manuella bedömningar; de visas bredvid reglernas bedömningar, med motivering."""
    parametrar: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)],
                     ParameterValue] = Field(default_factory=dict, json_schema_extra={"default": {}})
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


def _nests(annotation: Any) -> bool:
    """Whether a value of this type can be or hold a model (directly or in a list)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_nests(a) for a in get_args(annotation))


@functools.cache
def nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that can hold a model, in order (the others hold only scalars or lists of them:
    a walk through the case's models skips them), computed once per class."""
    return tuple(name for name, info in model.model_fields.items() if _nests(info.annotation))


@functools.cache
def _ref_fields(model: type[BaseModel]) -> tuple[tuple[str, str | None], ...]:
    """(field name, namespace or None) for each field of `model` that is a reference or can hold one,
    computed once per class."""
    # Pydantic moves a bare field's Annotated metadata to FieldInfo.metadata.
    fields = ((name, next((m.kind for m in info.metadata if isinstance(m, Ref)), None)
               or _ref_kind(info.annotation)[0]) for name, info in model.model_fields.items())
    nested = nested_fields(model)
    return tuple((name, kind) for name, kind in fields if kind or name in nested)


def _walk(obj: Any, path: DataPath, out: list[tuple[DataPath, str, str]]) -> None:
    """Append (path, namespace, id) for every reference in `obj`."""
    if isinstance(obj, BaseModel):
        for name, kind in _ref_fields(type(obj)):
            value = getattr(obj, name)
            if kind and isinstance(value, str):
                out.append(((*path, name), kind, value))
            elif kind and isinstance(value, list):
                out += [((*path, name, i), kind, v) for i, v in enumerate(value)]
            elif isinstance(value, (BaseModel, list)):  # scalars hold no references
                _walk(value, (*path, name), out)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            _walk(item, (*path, i), out)


def _resolves(obj: Any, known: dict[str, set[str]]) -> bool:
    """Whether every reference in `obj` names an id in `known` (what `_walk` finds, without the paths a valid
    case never needs: making them cost a tenth of reading a case)."""
    if isinstance(obj, list):
        return all(_resolves(item, known) for item in obj if isinstance(item, (BaseModel, list)))
    model: type[BaseModel] = type(obj)
    for name, kind in _ref_fields(model):
        value = getattr(obj, name)
        if kind and isinstance(value, str):
            if value not in known[kind]:
                return False
        elif kind and isinstance(value, list):
            if not known[kind].issuperset(value):
                return False
        elif isinstance(value, (BaseModel, list)) and not _resolves(value, known):
            return False
    return True


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


_LABELS = {"organ": "okänt organ", "aktor": "okänd aktör", "part": "okänt organ eller okänd aktör",
           "kalla": "okänd källa", "dokument": "okänt dokument", "beslut": "okänt beslut"}
_SECTIONS = {"organ": "`organ`", "aktor": "`aktorer`", "part": "`organ` eller `aktorer`",
             "kalla": "`kallor`", "dokument": "`dokument`", "beslut": "`beslut`"}


def check_references(case: Case) -> list[tuple[DataPath, str]]:
    """(path, message) for every duplicate id and every reference to an id that does not exist."""
    ns = namespaces(case)
    problems = [(where, f"id {ident!r} förekommer mer än en gång: varje id ska vara unikt i filen")
                for ident, where in _duplicates(case)]
    known = {kind: set(ids) for kind, ids in ns.items()}
    known["part"] = known["organ"] | known["aktor"]
    if _resolves(case, known):
        return problems
    references: list[tuple[DataPath, str, str]] = []
    _walk(case, (), references)
    for path, kind, ident in references:
        if ident not in known[kind]:
            hint = ", ".join(sorted(known[kind])[:8]) or "inga finns"
            problems.append((path, f"{_LABELS[kind]} {ident!r}: rätta id:t eller lägg till posten under "
                                   f"{_SECTIONS[kind]} (finns: {hint})"))
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

