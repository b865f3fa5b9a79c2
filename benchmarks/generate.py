"""Generate realistic, varied, valid case files for fictional Swedish municipalities.

    python benchmarks/generate.py OUTDIR [-n N] [--seed SEED]

Every case is built from the case schema's vocabulary (body types, reglemente duties, document kinds,
decision types, agreements) and is valid (`brocheck check` passes). The cases vary the way real ones
do: bodies and reglementen differ, documents are present, absent ("[]") or unknown (key left out),
decisions are taken by different bodies (or only reported for information), agreements are in force or
expired, and some facts are simply not recorded. Each file also carries a source list (`kallor`) that
its facts cite, like `cases/boras-2025.yaml`, so that files are of realistic size.

Deterministic: case i depends only on (seed, i), so the first 290 of 2,900 cases are the 290 cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

D = dt.date

# --- vocabulary for names -------------------------------------------------------------------------

_HEADS = ["Björk", "Ek", "Sjö", "Lind", "Al", "Gran", "Berg", "Dal", "Hav", "Strand", "Mo", "Ås", "Norr",
          "Söder", "Väster", "Öster", "Rönn", "Asp", "Hassel", "Tall", "Fur", "Kvarn", "Bro", "Torp", "Lunda",
          "Sten", "Grå", "Vit", "Röd", "Gull", "Silver", "Järn", "Kopp", "Mark", "Ljung", "Säv", "Vass",
          "Ängel", "Rosen", "Lilje", "Hägg", "Sol", "Mån", "Storm", "Frost", "Vinter", "Sommar", "Höst"]
_TAILS = ["by", "köping", "hamn", "vik", "dal", "ås", "berga", "torp", "holm", "sund", "ryd", "fors",
          "näs", "ö", "stad", "lunda", "sjö", "mo", "hult", "bo", "tuna", "vall", "kulla", "åker"]
_NAMNDER = [
    ("soc", "Socialnämnden", "Socialförvaltningen"),
    ("bun", "Barn- och utbildningsnämnden", "Barn- och utbildningsförvaltningen"),
    ("kfn", "Kultur- och fritidsnämnden", "Kultur- och fritidsförvaltningen"),
    ("tn", "Tekniska nämnden", "Tekniska förvaltningen"),
    ("sbn", "Samhällsbyggnadsnämnden", "Samhällsbyggnadsförvaltningen"),
    ("mhn", "Miljö- och hälsoskyddsnämnden", "Miljöförvaltningen"),
    ("von", "Vård- och omsorgsnämnden", "Vård- och omsorgsförvaltningen"),
    ("amn", "Arbetsmarknadsnämnden", "Arbetsmarknadsförvaltningen"),
    ("ffn", "Fritids- och folkhälsonämnden", "Fritids- och folkhälsoförvaltningen"),
    ("tfn", "Trygghets- och folkhälsonämnden", "Trygghetsförvaltningen"),
]
_FOKUS = ["Minska barn och ungas riskfaktorer för kriminalitet", "Förhindra rekrytering till kriminella nätverk",
          "Minska narkotikahandeln", "Öka tryggheten i offentlig miljö", "Motverka våld i nära relationer",
          "Motverka ekonomisk brottslighet", "Förebygga skadegörelse och klotter", "Trygg trafikmiljö",
          "Motverka våldsbejakande extremism", "Trygghet i centrum", "Minska bostadsinbrott",
          "Motverka otrygghet bland äldre"]
_KATEGORIER = ["otrygghet", "brottstrender", "narkotika", "våld i offentlig miljö", "skadegörelse",
               "brott mot näringslivet", "barn och unga", "relationsvåld", "organiserad brottslighet",
               "bedrägerier", "trafikbrott", "hedersrelaterad problematik"]
_INTEGRERAD = ["Folkhälsorapport", "Välfärdsbokslut", "Risk- och sårbarhetsanalys", "Trygghetsmätning",
               "Skolans elevhälsoenkät", "Socialtjänstens verksamhetsstatistik", "Polisens medborgarundersökning"]
_ATGARDER = ["Fältgrupp kvällstid", "Föräldrastöd", "Nattvandring", "SSPF-samverkan", "Trygghetsvandringar",
             "Belysning i gångtunnlar", "Mentorsprogram", "Sommarjobb för unga", "Kameraövervakning av torget",
             "Klotterplank och snabb sanering", "Stöd till brottsutsatta", "Avhopparverksamhet",
             "Föreningsstöd till kvällsöppet", "Drogförebyggande lektioner", "Grannsamverkan",
             "Platssamverkan i centrum", "Tidiga insatser i förskolan", "Utökad skolnärvaro"]
_OMRADEN = ["centrum", "stationsområdet", "Norra stadsdelen", "Södra stadsdelen", "hamnområdet", "Västra Berg",
            "Östra Dalen", "Industriområdet", "Sjöstaden"]
_REAL = {"Norrköping", "Söderköping", "Västerås", "Västervik", "Österåker", "Östersund", "Söderhamn", "Eksjö",
         "Sävsjö", "Sjöbo", "Ljungby"}
"""Real municipalities the name parts can spell: left out, every generated municipality is fictional."""


def municipality_names(seed: int, n: int) -> list[str]:
    """n distinct fictional names ("Björkvik", "Ekköping" …), deterministic given the seed."""
    pairs = [h + t for h in _HEADS for t in _TAILS if h[-1] != t[0] and h + t not in _REAL]
    rng = random.Random(f"names-{seed}")
    rng.shuffle(pairs)
    names = []
    for i in range(n):
        base = pairs[i % len(pairs)]
        names.append(base if i < len(pairs) else f"{base} {i // len(pairs) + 1}")
    return names


class Builder:
    """One case file as plain data; ids are unique in the file, references always resolve."""

    def __init__(self, rng: random.Random, name: str, kod: str) -> None:
        self.r = rng
        self.name = name
        self.kod = kod
        self.kallor: list[dict[str, Any]] = []
        self.ids: set[str] = set()

    # --- helpers --------------------------------------------------------------------------------

    def p(self, probability: float) -> bool:
        return self.r.random() < probability

    def good(self, probability: float) -> bool:
        """Like p(), shifted by how well this municipality works (self.q, 0 poor … 1 good)."""
        return self.r.random() < min(1.0, max(0.0, probability + (self.q - 0.5) * 0.6))

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.r.randrange((end - start).days + 1))

    def ident(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}-{n}", n + 1
        self.ids.add(ident)
        return ident

    def source(self, typ: str, titel: str, datum: dt.date | None = None, paragraf: str | None = None,
               base: str = "k") -> str:
        item: dict[str, Any] = {"id": self.ident(base), "typ": typ, "titel": titel}
        if datum is not None:
            item["datum"] = datum
        if paragraf is not None:
            item["paragraf"] = paragraf
        self.kallor.append(item)
        return str(item["id"])

    def cite(self, item: dict[str, Any], *ids: str) -> dict[str, Any]:
        ids_ = [i for i in ids if i]
        if ids_:
            item["kallor"] = ids_
        return item

    def maybe(self, item: dict[str, Any], key: str, value: Any, probability: float = 0.85) -> None:
        """Record `key` with the given probability; otherwise leave it out (unknown)."""
        if self.p(probability):
            item[key] = value

    # --- the case -------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        r = self.r
        self.q = r.random()
        asof = self.day(D(2024, 3, 1), D(2026, 6, 30))
        self.asof = asof
        stad = self.p(0.15)
        namn = f"{self.name} {'Stad' if stad else 'kommun'}"
        self.kommunnamn = namn
        intervjuer = [self.source("intervju", f"Intervju med {roll}", self.day(asof - dt.timedelta(days=150), asof),
                                  base="intervju")
                      for roll in r.sample(["kommundirektören", "samordnaren", "kommunpolisen", "förvaltningschef",
                                            "nämndens ordförande", "kommunstyrelsens ordförande",
                                            "säkerhetschefen", "fältsekreterare", "rektor", "enhetschef"],
                                           r.randint(3, 9))]
        self.intervjuer = intervjuer
        lag = self.source("lag", "Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete", base="lag")

        # --- bodies -----------------------------------------------------------------------------
        organ: list[dict[str, Any]] = [
            {"id": self.ident("kommunen"), "namn": namn, "typ": "kommun"},
            {"id": self.ident("kf"), "namn": "Kommunfullmäktige", "typ": "kommunfullmaktige", "niva": "ledning"},
            {"id": self.ident("ks"), "namn": "Kommunstyrelsen", "typ": "kommunstyrelse", "niva": "ledning"},
        ]
        klk = self.ident("klk")
        organ.append({"id": klk, "namn": r.choice(["Kommunledningskontoret", "Kommunledningsförvaltningen",
                                                     "Stadsledningskansliet"]),
                      "typ": "forvaltning", "tillhor": "ks"})
        namnder = r.sample(_NAMNDER, r.randint(2, 6))
        forvaltningar: dict[str, str] = {}
        for short, nname, fname in namnder:
            nmnd: dict[str, Any] = {"id": self.ident(short), "namn": nname, "typ": "namnd"}
            self.maybe(nmnd, "niva", "ledning", 0.6)
            organ.append(nmnd)
            if self.p(0.7):
                fid = self.ident(f"{short}-forv")
                forvaltningar[short] = fid
                forv: dict[str, Any] = {"id": fid, "namn": fname, "typ": "forvaltning", "tillhor": short}
                self.maybe(forv, "niva", "central", 0.6)
                organ.append(forv)
        namnd_ids = [n[0] for n in namnder]

        # Who leads under § 13: kommunstyrelsen, or a nämnd given the law by its reglemente.
        ansvarig = "ks" if self.p(0.45) else r.choice(namnd_ids)
        self.ansvarig = ansvarig
        ansvarig_forv = klk if ansvarig == "ks" else forvaltningar.get(ansvarig, klk)
        granskade = ["ks"] if ansvarig == "ks" else (["ks", ansvarig] if self.p(0.8) else [ansvarig, "ks"])

        # --- external actors --------------------------------------------------------------------
        aktorer = [self.cite({"id": self.ident("lpo"), "namn": f"Lokalpolisområde {self.name}", "typ": "polis"})]
        extra = [("region", "Region " + r.choice(["Mellersta", "Södra", "Norra", "Västra", "Östra"]) + " Sverige",
                  "region", 0.6),
                 ("rtj", f"Räddningstjänsten {self.name}", "raddningstjanst", 0.5),
                 ("trafik", "Länstrafiken", "kollektivtrafik", 0.3),
                 ("bostader", f"{self.name}hem AB", "naringsliv", 0.25),
                 ("forening", "Föreningsrådet", "civilsamhalle", 0.2),
                 ("skatteverket", "Skatteverket", "statlig_myndighet", 0.15)]
        for ident, anamn, typ, prob in extra:
            if self.p(prob):
                aktorer.append({"id": self.ident(ident), "namn": anamn, "typ": typ})
        aktor_ids = [a["id"] for a in aktorer]

        # --- the strategic council, its steering group, the coordination function ----------------
        avtal_src = self.source("avtal", f"Samverkansöverenskommelse mellan {namn} och Lokalpolisområde "
                                         f"{self.name}", self.day(asof - dt.timedelta(days=900), asof), base="avtal")
        rad_id = None
        styrgrupp_id = None
        if self.p(0.88):
            rad_id = self.ident("rad")
            rad: dict[str, Any] = {"id": rad_id, "namn": r.choice(["Brottsförebyggande rådet", "Lokala BRÅ",
                                                                   "Trygghetsrådet", "Rådet för trygghet och "
                                                                   "brottsförebyggande arbete"]),
                                   "typ": "rad"}
            if self.p(0.5):
                rad["kortnamn"] = "Brå"
            self.maybe(rad, "niva", "strategisk", 0.95)
            rad["inriktning"] = r.choice([["social", "situationell"], ["social"], ["situationell"]])
            self.maybe(rad, "brottsforebyggande", True, 0.95)
            rad["inrattad_av"] = r.choice(["ks", ansvarig])
            self.maybe(rad, "aktiv", True, 0.7)
            if self.p(0.92):
                rad["leds_av"] = r.choice([ansvarig_forv, klk, ansvarig])
            else:
                rad["leds_av"] = "lpo"
            members = []
            for fid in r.sample([klk, *forvaltningar.values()], min(len(forvaltningar) + 1, r.randint(1, 4))):
                m: dict[str, Any] = {"organisation": fid, "roll": r.choice(["forvaltningschef", "chef",
                                                                          "verksamhetschef"])}
                self.maybe(m, "ledande_befattning", True, 0.8)
                self.maybe(m, "kanal_till_organisation", self.good(0.85), 0.95)
                members.append(self.cite(m, avtal_src))
            externa = [a for a in aktor_ids if self.p(0.75 if a == "lpo" else 0.45)]
            ledande_p = r.choice([0.95, 0.7, 0.3])
            for aid in externa:
                m = {"organisation": aid}
                if aid == "lpo":
                    m["roll"] = r.choice(["kommunpolis", "lokalpolisomradeschef"])
                    m["befattning"] = "Kommunpolis" if m["roll"] == "kommunpolis" else "Lokalpolisområdeschef"
                self.maybe(m, "ledande_befattning", self.p(ledande_p), 0.95)
                self.maybe(m, "kanal_till_organisation", self.good(0.8), 0.93)
                members.append(self.cite(m, avtal_src))
            if members or self.p(0.3):
                rad["medlemmar"] = members
            self.maybe(rad, "motesfrekvens_per_ar", r.choice([2, 4, 6, 10]), 0.7)
            organ.append(self.cite(rad, avtal_src, r.choice(intervjuer)))

            if self.p(0.5):
                styrgrupp_id = self.ident("styrgrupp")
                sg: dict[str, Any] = {"id": styrgrupp_id, "namn": r.choice(["Styrgruppen för trygghet",
                                                                           "Styrgrupp för brottsförebyggande arbete",
                                                                           "Trygghetsberedningen"]),
                                      "typ": "styrgrupp", "niva": "ledning", "brottsforebyggande": True,
                                      "inrattad_av": r.choice(["ks", "ks", ansvarig, r.choice(namnd_ids)])}
                roller = r.sample(["lokalpolisomradeschef", "kommunstyrelsens_ordforande", "kommundirektor",
                                   "forvaltningschef", "kommunalrad"], r.randint(1, 4))
                if self.p(0.35):
                    roller = ["lokalpolisomradeschef", "kommunstyrelsens_ordforande", "kommundirektor"]
                sg["medlemmar"] = [{"organisation": "lpo" if roll == "lokalpolisomradeschef"
                                    else ("ks" if roll in ("kommunstyrelsens_ordforande", "kommunalrad") else klk),
                                    "roll": roll} for roll in roller]
                sg["styrs_av"] = ["ks"]
                organ.append(self.cite(sg, r.choice(intervjuer)))
            styrs = r.random()
            if styrs < 0.35 and styrgrupp_id:
                rad["styrs_av"] = [styrgrupp_id]
            elif styrs < 0.75:
                rad["styrs_av"] = [ansvarig]
            elif styrs < 0.9:
                rad["styrs_av"] = [r.choice(namnd_ids)]
            elif styrs < 0.95:
                rad["styrs_av"] = []

        # A second crime-prevention steering group set up by another political body: shared leadership.
        if self.p(0.15):
            annan = r.choice([n for n in ["ks", *namnd_ids] if n != ansvarig])
            organ.append({"id": self.ident("trygghetsgrupp-politisk"), "namn": "Politisk styrgrupp mot "
                          "organiserad brottslighet", "typ": "styrgrupp", "niva": "ledning",
                          "brottsforebyggande": True, "inrattad_av": annan, "styrs_av": [annan]})

        if self.p(0.88):
            sf: dict[str, Any] = {"id": self.ident("samordning"), "namn": "Brottsförebyggande samordnare",
                                  "typ": "samordningsfunktion", "tillhor": ansvarig_forv}
            self.maybe(sf, "leds_av", ansvarig_forv, 0.6)
            self.maybe(sf, "brottsforebyggande", True, 0.8)
            if self.p(0.95):
                uppgifter = ["samordna_och_stodja", "kontaktpunkt", "informationsspridning", "ta_fram_lagesbild",
                             "folja_upp"]
                sf["uppgifter"] = [u for u in uppgifter if self.good(0.75)]
            organ.append(self.cite(sf, lag, *r.sample(intervjuer, min(2, len(intervjuer)))))

        for i in range(r.randint(0, 5)):
            typ = r.choice(["arbetsgrupp", "natverk", "arbetsgrupp"])
            grupp: dict[str, Any] = {"id": self.ident(f"grupp-{i + 1}"),
                                     "namn": r.choice(["SSPF-gruppen", "Områdesnätverk", "Trygghetsgruppen",
                                                       "Fältsamverkan", "Samverkansgruppen för offentlig miljö",
                                                       "Nätverket för föräldrastöd", "Ortsrådet"])
                                     + ("" if i == 0 else f" {i + 1}"),
                                     "typ": typ, "niva": r.choice(["central", "lokal"])}
            self.maybe(grupp, "inriktning", [r.choice(["social", "situationell"])], 0.6)
            grupp["leds_av"] = r.choice([klk, ansvarig_forv, *forvaltningar.values()])
            if rad_id and self.p(0.7):
                grupp["rapporterar_till"] = [rad_id]
            organ.append(self.cite(grupp, avtal_src))

        # --- reglementen ------------------------------------------------------------------------
        reglementen: list[dict[str, Any]] | None = None
        if self.p(0.92):
            reglementen = []
            ks_duties = [d for d in ["ledningsfunktion", "styrfunktion", "uppfoljningsfunktion",
                                     "samordning_mellan_namnder", "organisation", "bereda_fullmaktigearenden"]
                         if self.p(0.85)]
            if ansvarig == "ks" and self.p(0.7):
                ks_duties.append(r.choice(["ledning_brottsforebyggande", "brottsforebyggande_lag"]))
            datum = self.day(asof - dt.timedelta(days=1500), asof - dt.timedelta(days=30))
            src = self.source("styrdokument", "Reglemente för kommunstyrelsen", datum, "§§ 1–3", base="reglemente-ks")
            reglementen.append(self.cite({
                "id": self.ident("reglemente-ks"), "organ": "ks", "titel": "Reglemente för kommunstyrelsen",
                "datum": datum,
                "uppgifter": [self.cite({"typ": d, "paragraf": f"§ {1 + j // 2}"}, src)
                              for j, d in enumerate(ks_duties)]}, src))
            for short, nname, _ in namnder:
                duties = []
                if short == ansvarig and self.p(0.9):
                    duties.append("brottsforebyggande_lag")
                elif short != ansvarig and self.p(0.06):
                    duties.append("brottsforebyggande_lag")  # a second body given the law: shared lead
                if short in ("soc", "amn", "von") and self.p(0.6):
                    duties.append("sociala_insatser")
                if short in ("tn", "sbn", "kfn", "ffn", "tfn") and self.p(0.5):
                    duties.append("trygghetsinsatser")
                if short in ("mhn",) and self.p(0.5):
                    duties.append("tillsyn")
                if not duties and self.p(0.6):
                    continue
                ndatum = self.day(asof - dt.timedelta(days=1500), asof - dt.timedelta(days=30))
                nsrc = self.source("styrdokument", f"Reglemente för {nname[0].lower() + nname[1:]}", ndatum,
                                   "§§ 1–2", base=f"reglemente-{short}")
                reglementen.append(self.cite({
                    "id": self.ident(f"reglemente-{short}"), "organ": short, "titel": f"Reglemente för "
                    f"{nname[0].lower() + nname[1:]}", "datum": ndatum,
                    "uppgifter": [self.cite({"typ": d, "paragraf": "§ 1"}, nsrc) for d in duties]}, nsrc))

        # --- documents --------------------------------------------------------------------------
        dokument: dict[str, Any] = {}
        beslut: list[dict[str, Any]] = []
        lagesbild_id = None
        lb_choice = r.random()
        if lb_choice < 0.85:
            lagesbilder = []
            for k in range(1 if self.p(0.75) else 2):
                oldest = asof - dt.timedelta(days=(1700 if k == 0 else 700))
                ldatum = self.day(oldest, asof - dt.timedelta(days=20))
                lid = self.ident(f"lagesbild-{ldatum.year}")
                src = self.source("dokument", f"Lägesbild över brottsligheten i {self.name} {ldatum.year}", ldatum,
                                  base=f"dok-{lid}")
                lb: dict[str, Any] = {"id": lid, "titel": f"Lägesbild {ldatum.year}"}
                self.maybe(lb, "datum", ldatum, 0.92)
                self.maybe(lb, "framtagen_av", rad_id or ansvarig_forv, 0.8)
                self.maybe(lb, "uppdragsgivare", r.choice(["ks", ansvarig, ansvarig]), 0.9)
                if self.p(0.92):
                    inn: dict[str, Any] = {}
                    for key, prob_true in [("kartlaggning", 0.93), ("omfattning", 0.85), ("konsekvenser", 0.8),
                                           ("annan_information", 0.85), ("analys", 0.85), ("orsaksanalys", 0.7),
                                           ("befintliga_insatser", 0.6)]:
                        self.maybe(inn, key, self.good(prob_true), 0.96)
                    inn["kategorier"] = r.sample(_KATEGORIER, r.randint(3, 9))
                    self.maybe(inn, "antal_slutsatser", r.randint(5, 30), 0.6)
                    lb["innehall"] = inn
                lb["fokusomraden"] = r.sample(_FOKUS, r.randint(2, 6))
                self.maybe(lb, "uppdateringsintervall_ar", r.choice([1, 2, 2, 3]), 0.7)
                integ = r.random()
                if integ < 0.6:
                    lb["integrerad_med"] = r.sample(_INTEGRERAD, r.randint(1, 4))
                elif integ < 0.9:
                    lb["integrerad_med"] = []
                lagesbilder.append(self.cite(lb, src, *r.sample(intervjuer, min(3, len(intervjuer)))))
                lagesbild_id = lid
                self.decide_document(beslut, lid, ldatum, "lagesbild")
            dokument["lagesbilder"] = lagesbilder
        elif lb_choice < 0.95:
            dokument["lagesbilder"] = []

        plan_id = None
        ap_choice = r.random()
        if (ap_choice < 0.75 and lagesbild_id is not None) or ap_choice < 0.1:
            pdatum = self.day(asof - dt.timedelta(days=1000), asof - dt.timedelta(days=10))
            plan_id = self.ident(f"atgardsplan-{pdatum.year}")
            src = self.source("dokument", f"Åtgärdsplan för brottsförebyggande arbete {pdatum.year}–"
                                          f"{pdatum.year + 2}", pdatum, base=f"dok-{plan_id}")
            ap: dict[str, Any] = {"id": plan_id, "titel": f"Åtgärdsplan {pdatum.year}–{pdatum.year + 2}"}
            self.maybe(ap, "datum", pdatum, 0.85)
            self.maybe(ap, "framtagen_av", rad_id or ansvarig_forv, 0.7)
            self.maybe(ap, "uppdragsgivare", r.choice(["ks", ansvarig]), 0.9)
            if self.p(0.9):
                ap["period"] = {"fran": pdatum, "till": D(pdatum.year + 2, 12, 31)}
            if lagesbild_id:
                ap["underlag"] = [lagesbild_id]
            self.maybe(ap, "uppfoljningsintervall_ar", r.choice([1, 1, 2]), 0.7)
            self.maybe(ap, "riktad_mot_orsaker", self.good(0.75), 0.9)
            self.maybe(ap, "metodstod", self.good(0.7), 0.9)
            if self.p(0.9):
                ap["preventionsnivaer"] = [n for n in ["bred", "riskgrupper", "aktiva"] if self.p(0.75)]
            if self.p(0.9):
                ap["preventionstyper"] = [t for t in ["social", "situationell"] if self.p(0.8)]
            fokus = r.sample(_FOKUS, r.randint(2, 5))
            if self.p(0.6):
                # Measures summarised, like the Borås plan.
                uppgifter = ["beskrivning", "problem", "operativt_mal", "period", "ansvar_genomforande",
                             "ansvar_uppfoljning", "uppfoljningsdatum", "ny_eller_befintlig", "preventionsniva",
                             "preventionstyp", "kostnad"]
                antal = r.randint(6, 50)
                alla = [u for u in uppgifter if self.p(0.6)]
                ingen = [u for u in uppgifter if u not in alla and self.p(0.5)]
                ap["fokusomraden"] = [{"namn": f, "antal_atgarder": max(1, antal // len(fokus))} for f in fokus]
                s: dict[str, Any] = {"antal": antal, "alla_anger": alla, "ingen_anger": ingen}
                self.maybe(s, "andel_befintliga", r.choice(["alla", "flertalet", "halften", "fatal", "inga"]), 0.92)
                ap["sammanstallning"] = s
            else:
                # Measures one by one.
                ap["fokusomraden"] = [{"namn": f} for f in fokus]
                atgarder = []
                fields_p = {k: r.choice([1.0, 1.0, 0.7, 0.0]) for k in
                            ["problem", "period", "ansvar_genomforande", "ansvar_uppfoljning", "preventionsniva",
                             "preventionstyp"]}
                fields_p["ny"] = r.choice([1.0, 1.0, 1.0, 0.9, 0.0])
                for namn_a in r.sample(_ATGARDER, r.randint(3, 12)):
                    a: dict[str, Any] = {"namn": namn_a, "fokusomrade": r.choice(fokus),
                                         "beskrivning": f"{namn_a} i {r.choice(_OMRADEN)}."}
                    if self.p(fields_p["problem"]):
                        a["problem"] = r.choice(["Otrygghet kvällstid", "Rekrytering av unga", "Narkotikaförsäljning",
                                                 "Skadegörelse", "Våld i nära relationer", "Inbrott"])
                    if self.p(fields_p["period"]):
                        a["period"] = {"fran": pdatum, "till": D(pdatum.year + r.randint(1, 2), 12, 31)}
                    if self.p(fields_p["ansvar_genomforande"]):
                        a["ansvar_genomforande"] = r.choice([n[2] for n in namnder])
                    if self.p(fields_p["ansvar_uppfoljning"]):
                        a["ansvar_uppfoljning"] = "Brottsförebyggande samordnare"
                    if self.p(0.5):
                        a["uppfoljningsdatum"] = D(pdatum.year + 1, r.randint(1, 12), 15)
                    if self.p(fields_p["ny"]):
                        a["ny"] = self.p(0.4)
                    if self.p(fields_p["preventionsniva"]):
                        a["preventionsniva"] = r.choice(["bred", "riskgrupper", "aktiva"])
                    if self.p(fields_p["preventionstyp"]):
                        a["preventionstyp"] = r.choice(["social", "situationell"])
                    if self.p(0.2):
                        a["kostnad"] = f"{r.randint(1, 40) * 50} tkr"
                    atgarder.append(self.cite(a, src))
                ap["atgarder"] = atgarder
            dokument["atgardsplaner"] = [self.cite(ap, src, *r.sample(intervjuer, min(2, len(intervjuer))))]
            self.decide_document(beslut, plan_id, pdatum, "atgardsplan", rad_id)
            if self.good(0.65):
                uppf = []
                for _ in range(r.randint(1, 2)):
                    udatum = self.day(pdatum + dt.timedelta(days=120), asof)
                    uid = self.ident(f"uppfoljning-{udatum.year}")
                    u: dict[str, Any] = {"id": uid, "titel": f"Uppföljning av åtgärdsplanen {udatum.year}",
                                         "datum": udatum, "avser": [plan_id]}
                    self.maybe(u, "omfattar_alla_atgarder", self.good(0.6), 0.9)
                    self.maybe(u, "per_fokusomrade", self.p(0.5), 0.6)
                    uppf.append(self.cite(u, self.source("dokument", u["titel"], udatum, base=f"dok-{uid}")))
                dokument["uppfoljningar"] = uppf
            elif self.p(0.85):
                dokument["uppfoljningar"] = []
        elif ap_choice < 0.95:
            dokument["atgardsplaner"] = []

        ml = r.random()
        if ml < 0.55:
            start = self.day(asof - dt.timedelta(days=1100), asof - dt.timedelta(days=30))
            slut = D(start.year + 1, 12, 31)
            mid = self.ident(f"medborgarlofte-{start.year}")
            m: dict[str, Any] = {"id": mid, "titel": f"Medborgarlöfte {start.year}–{slut.year}",
                                 "parter": ["lpo", "kommunen"], "period": {"fran": start, "till": slut}}
            self.maybe(m, "omrade", r.choice(_OMRADEN), 0.8)
            self.maybe(m, "antal_loften", r.randint(3, 12), 0.6)
            dokument["medborgarloften"] = [self.cite(m, self.source("dokument", m["titel"], start, base=f"dok-{mid}"))]
        elif ml < 0.92:
            dokument["medborgarloften"] = []

        ovriga = []
        for typ, titel, prob in [("kommunikationsplan", "Kommunikationsplan för det brottsförebyggande arbetet", 0.4),
                                 ("riktlinje", "Riktlinjer för brottsförebyggande arbete", 0.3),
                                 ("handbok", "Handbok för trygghet i offentliga miljöer", 0.25),
                                 ("program", "Program för trygghet och säkerhet", 0.25),
                                 ("rapport", "Nulägesanalys av det brottsförebyggande arbetet", 0.3)]:
            if self.p(prob):
                oid = self.ident(typ)
                o: dict[str, Any] = {"id": oid, "titel": titel, "typ": typ}
                self.maybe(o, "datum", self.day(asof - dt.timedelta(days=900), asof), 0.6)
                self.maybe(o, "framtagen_av", r.choice([klk, ansvarig_forv]), 0.5)
                ovriga.append(self.cite(o, r.choice(intervjuer)))
                if typ == "riktlinje" and self.p(0.6):
                    self.decide(beslut, r.choice(["kf", "ks", ansvarig]), "beslut", [oid],
                                self.day(asof - dt.timedelta(days=700), asof), f"Antar {titel.lower()}")
        if ovriga or self.p(0.8):
            dokument["ovriga"] = ovriga

        # --- agreements -------------------------------------------------------------------------
        overenskommelser: list[dict[str, Any]] | None = None
        ov = r.random()
        if ov < 0.85:
            overenskommelser = []
            for aid in aktor_ids:
                if not self.good(0.8 if aid == "lpo" else 0.45):
                    continue
                fran = self.day(asof - dt.timedelta(days=1400), asof - dt.timedelta(days=10))
                oid = self.ident(f"overenskommelse-{aid}")
                o = {"id": oid, "titel": f"Samverkansöverenskommelse med {self.aktornamn(aktorer, aid)}",
                     "parter": ["kommunen", aid], "datum": fran, "giltig_fran": fran}
                if self.p(0.5):
                    o["tills_vidare"] = True
                else:
                    o["giltig_till"] = D(fran.year + r.randint(1, 4), 12, 31)
                    self.maybe(o, "tills_vidare", False, 0.85)
                self.maybe(o, "brottsforebyggande", self.p(0.9), 0.97)
                if self.p(0.92):
                    o["syften"] = ["Minskad brottslighet och ökad trygghet"]
                if self.p(0.92):
                    o["omraden"] = r.sample(_FOKUS, r.randint(1, 3))
                self.maybe(o, "uppfoljning", "Årlig uppföljning i rådet", 0.6)
                if aid == "lpo":
                    self.maybe(o, "medborgarloften", self.p(0.6), 0.8)
                overenskommelser.append(self.cite(o, avtal_src if aid == "lpo" else
                                                  self.source("avtal", o["titel"], fran, base=f"avtal-{aid}")))
                if self.p(0.5):
                    self.decide(beslut, r.choice(["ks", ansvarig]), r.choice(["beslut", "anmalan"]), [oid],
                                fran, f"Samverkansöverenskommelse med {self.aktornamn(aktorer, aid)}")
        elif ov < 0.95:
            overenskommelser = []

        # A matter sent on to kommunfullmäktige, and whether kommunstyrelsen prepared it.
        if ansvarig != "ks" and self.p(0.4):
            sent = self.day(asof - dt.timedelta(days=500), asof - dt.timedelta(days=20))
            arende = f"{sent.year}/{r.randint(10, 999)}"
            docs = [d for d in (lagesbild_id, plan_id) if d]
            self.decide(beslut, ansvarig, "oversandning", docs, sent, "Översänds till kommunstyrelsen och "
                        "kommunfullmäktige", till=["ks", "kf"], arende=arende)
            if self.p(0.5):
                self.decide(beslut, "ks", "beslut", docs, self.day(sent + dt.timedelta(days=20),
                                                                   sent + dt.timedelta(days=300)),
                            "Bereder ärendet till kommunfullmäktige", arende=arende)
        if styrgrupp_id and self.p(0.6):
            self.decide(beslut, "ks", "beslut", [], self.day(asof - dt.timedelta(days=1500), asof),
                        "Inrättar en styrgrupp för det brottsförebyggande arbetet")

        # --- reports to kommunfullmäktige ------------------------------------------------------
        rapporter: list[dict[str, Any]] | None = None
        rk = r.random()
        if rk < 0.55 + (self.q - 0.5) * 0.5:
            rapporter = []
            for _ in range(r.randint(1, 3)):
                rdatum = self.day(asof - dt.timedelta(days=800), asof - dt.timedelta(days=5))
                rapporter.append(self.cite({"datum": rdatum, "fran": r.choice(["ks", ansvarig]),
                                            "amne": "Det brottsförebyggande arbetet"},
                                           self.source("protokoll", "Kommunfullmäktiges protokoll", rdatum,
                                                       f"§ {r.randint(1, 200)}", base="prot-kf")))
            rapporter.sort(key=lambda x: x["datum"])
        elif rk < 0.9:
            rapporter = []

        # --- assemble, sections in the order of the Borås case -----------------------------------
        case: dict[str, Any] = {
            "kommun": {"namn": namn, "kod": self.kod},
            "granskning": {"datum": asof, "granskade_organ": granskade,
                           "titel": f"Granskning av det brottsförebyggande arbetet i {namn}"},
            "kallor": self.kallor,
            "organ": organ,
            "aktorer": aktorer,
        }
        if reglementen is not None:
            case["reglementen"] = reglementen
        case["dokument"] = dokument
        if beslut or self.p(0.9):
            beslut.sort(key=lambda b: (b.get("datum") or asof, b["id"]))
            case["beslut"] = beslut
        if overenskommelser is not None:
            case["overenskommelser"] = overenskommelser
        if rapporter is not None:
            case["rapporter_till_kf"] = rapporter
        return case

    def aktornamn(self, aktorer: list[dict[str, Any]], ident: str) -> str:
        return next(str(a["namn"]) for a in aktorer if a["id"] == ident)

    def decide(self, beslut: list[dict[str, Any]], organ: str, typ: str, docs: list[str], datum: dt.date,
               rubrik: str, **extra: Any) -> str:
        paragraf = f"§ {self.r.randint(1, 250)}"
        bid = self.ident(f"{organ}-{datum.isoformat()}-{paragraf[2:]}")
        src = self.source("protokoll", f"Protokoll, {organ}", datum, paragraf, base=f"prot-{organ}")
        b: dict[str, Any] = {"id": bid, "organ": organ}
        if self.p(0.95):
            b["datum"] = datum
        b["paragraf"] = paragraf
        b["typ"] = typ
        b["rubrik"] = rubrik
        if docs:
            b["dokument"] = docs
        b.update(extra)
        beslut.append(self.cite(b, src))
        return bid

    def decide_document(self, beslut: list[dict[str, Any]], doc: str, made: dt.date, kind: str,
                        rad_id: str | None = None) -> None:
        """Who decided the lägesbild or plan: kommunfullmäktige, kommunstyrelsen (with or without an
        authorisation), the responsible nämnd, the council on its behalf, reported only, or no one."""
        r = self.r
        when = self.day(made, min(self.asof, made + dt.timedelta(days=200)))
        choice = max(0.0, r.random() - (self.q - 0.5) * 0.3)
        rubrik = ("Lägesbild över brottsligheten" if kind == "lagesbild" else "Åtgärdsplan för det "
                  "brottsförebyggande arbetet")
        if choice < 0.3:
            self.decide(beslut, "kf", "beslut", [doc], when, f"Fastställer {rubrik.lower()}")
        elif choice < 0.42 and kind == "atgardsplan":
            self.decide(beslut, "kf", "bemyndigande", [], when - dt.timedelta(days=60),
                        "Bemyndigar kommunstyrelsen att besluta om åtgärdsplan", till=["ks"], avser=["atgardsplan"])
            self.decide(beslut, "ks", "beslut", [doc], when, f"Fastställer {rubrik.lower()}")
        elif choice < 0.55:
            self.decide(beslut, "ks", "beslut", [doc], when, f"Fastställer {rubrik.lower()}")
        elif choice < 0.72:
            self.decide(beslut, self.ansvarig, "beslut", [doc], when, f"Godkänner {rubrik.lower()}")
        elif choice < 0.8 and rad_id:
            b = {"pa_uppdrag_av": self.ansvarig}
            self.decide(beslut, rad_id, "beslut", [doc], when, f"Beslutar om {rubrik.lower()}", **b)
        elif choice < 0.92:
            self.decide(beslut, self.ansvarig, "anmalan", [doc], when, f"Anmälningsärende: {rubrik.lower()}")


def generate_case(seed: int, index: int, name: str) -> dict[str, Any]:
    rng = random.Random(f"brocheck-bench-{seed}-{index}")
    kod = f"{1000 + (index * 37 + seed) % 9000:04d}"
    return Builder(rng, name, kod).build()


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # no anchors: every value written out, as in a hand-written case


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _ids_and_short_lists_flow(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    """Short lists of plain words (ids, enum values) in flow style, like the hand-written cases."""
    flow = bool(value) and all(isinstance(v, str) and len(v) < 40 and " " not in v for v in value) \
        and sum(len(v) for v in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _ids_and_short_lists_flow)


def to_yaml(case: dict[str, Any], index: int, seed: int) -> str:
    header = (f"# yaml-language-server: $schema=../schema/case.schema.json\n"
              f"# Genererad ärendefil (fiktiv kommun) för brocheck:s prestandamätning: "
              f"benchmarks/generate.py, seed {seed}, nr {index}.\n"
              "# Innehåller iakttagelser, inga bedömningar. Utelämnad nyckel = okänt.\n\n")
    parts = []
    for key, value in case.items():
        parts.append(yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110,
                               default_flow_style=False))
    return header + "\n".join(parts)


def generate(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """(file name, YAML text) for n cases."""
    names = municipality_names(seed, n)
    out = []
    for i in range(n):
        case = generate_case(seed, i, names[i])
        slug = names[i].lower().replace(" ", "-").translate(str.maketrans("åäö", "aao"))
        out.append((f"{i + 1:05d}-{slug}.yaml", to_yaml(case, i + 1, seed)))
    return out


def write(directory: Path, n: int, seed: int = 1) -> list[Path]:
    """Write n cases into `directory` (created; existing *.yaml there are removed first)."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        old.unlink()
    paths = []
    for name, text in generate(n, seed):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("-n", type=int, default=290, help="number of cases (default 290)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = write(args.outdir, args.n, args.seed)
    print(f"{len(paths)} ärendefiler i {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
