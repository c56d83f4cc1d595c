"""Invented names and wordings for the demo's requests, cases and case files.

Every child, parent and story here is made up. The texts are written the way
schools, the Familienamt and the teams write, so the demo reads like a working
day; placeholders in braces are filled per child (``{first}`` = first name).
"""

# Children in Weimar's schools: common names of the years 2009–2019, some from
# families who came from Syria, Afghanistan, Ukraine or Turkey.
GIRLS = [
    "Mia", "Emma", "Hannah", "Lea", "Lina", "Marie", "Emilia", "Ida", "Greta", "Frieda",
    "Mathilda", "Lotta", "Nele", "Pia", "Jördis", "Smilla", "Zoë", "Leonie", "Maja", "Käthe",
    "Elif", "Zeynep", "Yara", "Amira", "Sofiia", "Darja", "Malak", "Lenja", "Jule", "Annika",
]  # fmt: skip
BOYS = [
    "Ben", "Paul", "Leon", "Finn", "Elias", "Jonas", "Luis", "Noah", "Felix", "Emil",
    "Anton", "Theo", "Mats", "Ole", "Jannik", "Till", "Moritz", "Jakob", "Malte", "Oskar",
    "Björn", "Sören", "Jöran", "Levi", "Karim", "Omar", "Emir", "Maksym", "Bohdan", "Yusuf",
]  # fmt: skip
CHILD_LAST_NAMES = [
    "Müller", "Schröder", "Köhler", "Krüger", "Jäger", "Möbius", "Bähr", "Förster", "Gärtner",
    "Hübner", "Kühne", "Mäder", "Höfer", "Stöckel", "Brückner", "Dörfler", "Wächter", "Jähnert",
    "Rößler", "Böttcher", "Fröhlich", "Löffler", "Schütze", "Hänsel", "Öztürk", "Özdemir",
    "Schmidt", "Wagner", "Becker", "Hartung", "Ritter", "Kaiser", "Böhme", "Eckardt", "Rudolph",
    "Trautmann", "Heß", "Al-Hassan", "Rahimi", "Kovalenko", "Shevchenko", "Nowak", "Wiegand",
]  # fmt: skip
# Spellings a form may get instead: the duplicate check must still find the child.
SPELLING_VARIANTS = {"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss"}

PARENT_FIRST_NAMES = [
    "Anja", "Claudia", "Daniela", "Franziska", "Jana", "Katja", "Mandy", "Nadine", "Sandra",
    "Stefanie", "Yvonne", "Olena", "Rana", "Ayşe", "Andreas", "Christian", "Marco", "René",
    "Steffen", "Tobias", "Mahmoud", "Serhij",
]  # fmt: skip
TEACHER_ROLES = ["Klassenlehrerin", "Klassenlehrer", "Beratungslehrerin", "Sonderpädagogin"]

OBSERVATIONS = [
    "{first} kann sich im Unterricht nur wenige Minuten auf eine Aufgabe konzentrieren, "
    "steht häufig auf und verlässt ohne Ankündigung den Raum. In den Pausen kommt es fast "
    "täglich zu Streit, der ohne Hilfe eines Erwachsenen nicht endet.",
    "{first} spricht im Unterricht kaum, zieht sich in Gruppenarbeiten zurück und weint "
    "morgens oft beim Abschied von der Mutter. Seit den Herbstferien fehlt {first} häufiger.",
    "{first} braucht bei Übergängen (Stundenwechsel, Sportunterricht, Ausflüge) eine "
    "Begleitung; bei Lärm und unerwarteten Änderungen reagiert {first} mit heftigem Rückzug "
    "oder lautem Schreien.",
    "{first} hat große Mühe, Arbeitsanweisungen umzusetzen, und bricht Aufgaben schnell ab. "
    "Im Klassenverband stört {first} so, dass die Lehrkraft den Unterricht mehrmals "
    "täglich unterbrechen muss.",
    "{first} ist körperlich stark eingeschränkt (Rollstuhl) und braucht Hilfe beim An- und "
    "Ausziehen, beim Toilettengang und beim Weg zwischen den Räumen.",
    "{first} reagiert auf Kritik mit Wutausbrüchen, hat zweimal Mitschüler geschlagen und "
    "wurde deshalb bereits vom Unterricht ausgeschlossen.",
]
NEEDS = [
    "Eine feste Begleitperson im Unterricht, die {first} hilft, bei der Aufgabe zu bleiben, "
    "und in Konflikten früh eingreift.",
    "Begleitung in den ersten beiden Stunden und in den Pausen, damit {first} sicher in den "
    "Schultag findet.",
    "Unterstützung bei Übergängen und eine Rückzugsmöglichkeit mit Begleitung.",
    "Pflegerische Unterstützung und Begleitung im Schulhaus während des ganzen Schultags.",
    "Begleitung im Unterricht und auf Ausflügen; Absprachen mit den Eltern über einen festen "
    "Ansprechpartner.",
]
MEASURES = [
    "Sitzplatz vorn, Tagesplan mit Symbolen, wöchentliche Gespräche mit den Eltern, "
    "Förderstunden in Deutsch.",
    "Gespräche mit der Schulsozialarbeit, Verstärkerplan, Beratung durch den Mobilen "
    "Sonderpädagogischen Dienst.",
    "Ruheecke im Klassenraum, verkürzte Aufgaben, Pausenbegleitung durch Lehrkräfte im "
    "Wechsel; reicht nicht mehr aus.",
    "Lernbegleitung durch eine Lehramtsstudentin (zwei Stunden pro Woche), Elterngespräche.",
    "Nachteilsausgleich, Hausaufgabenhilfe im Hort, Gespräch mit der Kinderärztin angeregt.",
]

QUESTIONS = [
    (
        "Liegt eine Stellungnahme eines Kinder- und Jugendpsychiaters vor oder ist ein Termin "
        "vereinbart?",
        "Die Eltern haben einen Termin in der Ambulanz des Klinikums am {date}; die "
        "Stellungnahme reichen sie danach nach.",
    ),
    (
        "Seit wann bestehen die beschriebenen Schwierigkeiten, und gab es schon Gespräche mit "
        "dem Mobilen Sonderpädagogischen Dienst?",
        "Seit Beginn des Schuljahres; der MSD hat im Oktober hospitiert und empfiehlt eine "
        "Begleitung.",
    ),
    (
        "Bitte teilen Sie uns mit, ob die Eltern auch der Weitergabe an das Sozialraumteam "
        "zustimmen. Die Einwilligung bezieht sich bisher nur auf das Familienamt.",
        "Ja, die Mutter hat die erweiterte Einwilligung heute unterschrieben; der Scan folgt.",
    ),
    (
        "Wie viele Stunden pro Woche braucht {first} aus Sicht der Schule Begleitung?",
        "Vor allem in den ersten drei Stunden und in den Pausen, also etwa 15 Stunden pro Woche.",
    ),
]
PSEUDONYM_QUESTION = (
    "Ohne Einwilligung der Eltern können wir nur allgemein beraten. Können Sie mit den Eltern "
    "klären, ob sie einer Anfrage mit Namen zustimmen?"
)
REJECTIONS = [
    "Die Familie ist nach Apolda verzogen; zuständig ist jetzt das Jugendamt des Landkreises "
    "Weimarer Land. Bitte wenden Sie sich mit der Anfrage dorthin.",
    "Die Eltern wünschen derzeit keine Hilfe und haben ihre Einwilligung widerrufen. Sie können "
    "jederzeit eine neue Anfrage stellen.",
    "Für {first} ist bereits eine Schulbegleitung bewilligt; die Anfrage ist doppelt eingegangen.",
]
RECOMMENDATIONS = [
    "Das Team empfiehlt eine Schulbegleitung im Umfang von {hours} Stunden pro Woche. Die "
    "Eltern und die Schule haben im Gespräch dieselben Ziele benannt.",
    "Nach Erstberatung, Hospitation und Fallberatung empfiehlt das Team {hours} Stunden "
    "Schulbegleitung pro Woche, zunächst für ein Schulhalbjahr.",
]
GRANT_REASONS = [
    "Der Bedarf ist durch die fachärztliche Stellungnahme und die Empfehlung des "
    "Sozialraumteams belegt (§ 35a SGB VIII).",
    "Die Teilhabe an schulischer Bildung ist ohne Begleitung nicht gesichert; die "
    "Voraussetzungen des § 112 SGB IX liegen vor.",
]
REFUSAL_REASON = (
    "Nach der fachärztlichen Stellungnahme liegt keine seelische Behinderung vor; die "
    "Teilhabe ist mit den schulischen Fördermaßnahmen gesichert. Das Sozialraumteam bleibt "
    "für die Familie ansprechbar."
)
POOL_NAME = "Pool Schulbegleitung Schuleingangsphase"

CHILD_PROTECTION = {
    "observed": (
        "{first} kam in dieser Woche zweimal ohne Frühstück und in zu dünner Kleidung in die "
        "Schule. Heute früh erzählte {first} der Klassenlehrerin, abends oft allein zu "
        "Hause zu sein und nicht zu wissen, wann die Mutter zurückkommt."
    ),
    "when": "am Montag und heute, jeweils vor Unterrichtsbeginn",
    "at_risk": "{first} und der jüngere Bruder (3 Jahre, Kita)",
    "measures": (
        "Gespräch mit {first} durch die Klassenlehrerin, Frühstück aus dem Schulfrühstück; "
        "die Mutter war telefonisch nicht erreichbar."
    ),
}

NOTES = [
    "Erstgespräch mit der Mutter im Büro. Sie wünscht sich, dass {first} „wieder gern in die "
    "Schule geht“. Die Familie ist offen für eine Begleitung.",
    "Hospitation in der Klasse (2. und 3. Stunde). {first} arbeitete mit Unterstützung der "
    "Lehrerin gut mit; ohne Ansprache verlor {first} nach wenigen Minuten den Faden.",
    "Telefonat mit der Schulleitung: Die Schule hält eine Begleitung in den Hauptfächern für "
    "ausreichend; Sport und Pausen klappen inzwischen besser.",
    "Hausbesuch. Wohnsituation beengt (drei Kinder, zwei Zimmer). Die Eltern würden gern eine "
    "größere Wohnung im Stadtteil finden; Hinweis auf die Wohnungsberatung gegeben.",
    "Fallberatung im Team: Hypothese, dass die Schwierigkeiten vor allem bei Übergängen "
    "auftreten. Idee: feste Rituale zu Stundenbeginn mit der Begleitung absprechen.",
    "Rückmeldung der Schulbegleitung nach vier Wochen: {first} kommt pünktlich, arbeitet "
    "länger konzentriert; Konflikte in der Pause sind seltener.",
]
CONFIDED_NOTES = [
    "Die Mutter berichtet im Vertrauen von einer Trennung und Streit um das Umgangsrecht; sie "
    "möchte nicht, dass die Schule davon erfährt.",
    "Der Vater erzählt, dass er seit Wochen keine Arbeit hat und die Miete nicht mehr "
    "bezahlen kann. Nur für mich bestimmt, er schämt sich dafür.",
]
CORRECTIONS = [
    ("Datum des Gesprächs korrigiert", " (Gespräch fand am Dienstag statt, nicht am Montag.)"),
    ("Name der Lehrerin ergänzt", " Ansprechpartnerin in der Schule ist die Klassenlehrerin."),
]
CONTACTS = [
    ("phone", "Mutter", "Termin für das Erstgespräch vereinbart."),
    ("office", "beide Eltern", "Ziele der Familie besprochen; Antrag ausgehändigt."),
    ("school", "Klassenlehrerin und Schulleitung", "Hospitation und Auswertung; Bedarf bestätigt."),
    ("home_visit", "Mutter und {first}", "Wohnsituation angesehen; {first} zeigte das Zimmer."),
    ("email", "Schulbegleitung (Leistungserbringer)", "Einsatzplan für die nächsten Wochen."),
    ("phone", "Kinderärztin", "Mit Einwilligung der Eltern: Stellungnahme ist unterwegs."),
]
TASKS = [
    "Stellungnahme der Kinderärztin anfordern",
    "Antrag der Eltern nachhalten",
    "Hospitation in der Schule vereinbaren",
    "Hilfeplangespräch vorbereiten",
    "Rückmeldung an die Schule geben",
    "Bericht der Schulbegleitung auswerten",
    "Bescheid mit den Eltern besprechen",
    "Einwilligung für die Fallberatung einholen",
]

HELP_PLAN = {
    "need": (
        "{first} braucht im Unterricht und in den Pausen eine verlässliche Begleitung, um am "
        "Unterricht teilzunehmen und Konflikte ohne Ausschluss zu lösen."
    ),
    "family_goals": (
        "„{first} soll wieder gern in die Schule gehen und Freunde in der Klasse haben.“ "
        "(Mutter) – „Ich will nicht mehr rausgeschickt werden.“ ({first})"
    ),
    "assessment": (
        "Die Schwierigkeiten zeigen sich vor allem bei Übergängen und in offenen Situationen. "
        "Mit fester Ansprechperson arbeitet {first} deutlich länger mit."
    ),
    "goals": (
        "1. {first} bleibt bis zum Halbjahr in allen Hauptfächern im Klassenraum.\n"
        "2. {first} löst Konflikte in der Pause mit Unterstützung ohne Gewalt.\n"
        "3. Die Eltern und die Schule tauschen sich alle zwei Wochen aus."
    ),
    "review_goals": (
        "1. {first} bleibt in allen Fächern im Klassenraum (erreicht bis auf Sport).\n"
        "2. {first} löst Konflikte in der Pause zunehmend allein; die Begleitung zieht sich "
        "in den Pausen schrittweise zurück.\n"
        "3. Austausch Eltern–Schule monatlich."
    ),
}
HELP_PLAN_STEPS = [
    ("Einsatzplan der Schulbegleitung abstimmen", "Leistungserbringer"),
    ("Rituale zu Stundenbeginn einführen", "Klassenlehrerin"),
    ("Elterngespräch in der Schule", "Sozialraumteam"),
    ("Bericht der Schulbegleitung zum Halbjahr", "Leistungserbringer"),
]

CONFERENCE_PLACES = ["Teamraum im Büro", "Besprechungsraum der Schule", "Stadtteilzentrum"]
MINUTES = {
    "case_account": (
        "Die Fallgeberin schildert die Lage von {initials}: Schulbegleitung läuft seit einigen "
        "Wochen, die Familie ist kooperativ, in der Schule gibt es aber weiter Konflikte in "
        "den Pausen."
    ),
    "questions": (
        "Wer ist in den Pausen zuständig? – Die Aufsicht wechselt täglich. Wie reagiert die "
        "Mutter auf Anrufe der Schule? – Zunehmend gereizt."
    ),
    "key_question": (
        "Wie kann die Schule die Pausen so gestalten, dass {initials} ohne Begleitung zurechtkommt?"
    ),
    "hypotheses": (
        "Die wechselnde Aufsicht verunsichert; die Anrufe der Schule belasten die Mutter so, "
        "dass sie sich zurückzieht."
    ),
    "ideas": (
        "Pausenpaten aus Klasse 4; feste Pausenaufsicht an zwei Tagen; ein wöchentlicher "
        "kurzer Bericht an die Mutter statt Anrufen; offenes Sportangebot im Stadtteil."
    ),
    "choice": (
        "Die Fallgeberin nimmt die Pausenpaten und den wöchentlichen Bericht mit und spricht "
        "beides mit Schule und Mutter ab."
    ),
}
AGREED_STEPS = ["Pausenpaten mit der Schulleitung besprechen", "Wöchentlichen Bericht vereinbaren"]

# Neighbourhood work with no case, and local resources, per Sozialraum (all invented).
ACTIVITIES = {
    "west": [
        (
            "offenes_angebot",
            "Offenes Basketballtraining",
            "Sportplatz Weimar-West",
            14,
            "Zwei Jugendliche fragen nach Praktikumsplätzen; Kontakt zur Jugendberufsagentur.",
        ),
        (
            "sprechstunde",
            "Sprechstunde im Stadtteilbüro",
            "Stadtteilbüro Weimar-West",
            6,
            "Drei Familien mit Fragen zu Kita-Plätzen und Wohngeld beraten.",
        ),
        (
            "stadtteilfest",
            "Herbstfest am Spielplatz Moskauer Straße",
            "Moskauer Straße",
            120,
            "Viele neue Kontakte zu Familien; Idee eines Elterncafés.",
        ),
    ],
    "nord-schoendorf": [
        (
            "netzwerktreffen",
            "Netzwerktreffen Weimar-Nord",
            "Gemeindehaus",
            11,
            "Schulen, Kitas und Vereine verabreden einen gemeinsamen Ferienkalender.",
        ),
        (
            "offenes_angebot",
            "Elterncafé an der Grundschule",
            "Grundschule, Raum 12",
            9,
            "Eltern wünschen sich eine Sprechstunde zu Schulbegleitung.",
        ),
        (
            "kooperation",
            "Kooperationsgespräch mit dem Sportverein Schöndorf",
            "Vereinsheim",
            4,
            "Zwei Freiplätze im Fußball für Kinder aus Familien mit wenig Geld.",
        ),
    ],
    "mitte-sued": [
        (
            "sprechstunde",
            "Sprechstunde in der Stadtbücherei",
            "Stadtbücherei",
            5,
            "Fragen zu Lernförderung und Bildungs- und Teilhabepaket beantwortet.",
        ),
        (
            "offenes_angebot",
            "Spielenachmittag im Park an der Ilm",
            "Park an der Ilm",
            25,
            "Kontakt zu zwei Familien, die neu in der Südstadt wohnen.",
        ),
        (
            "netzwerktreffen",
            "Runder Tisch Schulsozialarbeit Mitte-Süd",
            "Familienamt",
            8,
            "Absprache, wie Schulen früher auf das Sozialraumteam zugehen.",
        ),
    ],
}
RESOURCES = {
    "west": [
        (
            "angebot",
            "Hausaufgabenhilfe im Stadtteilzentrum",
            "Mo–Do 14–16 Uhr",
            "Ehrenamtliche helfen Kindern der Klassen 1–6 bei den Hausaufgaben.",
        ),
        (
            "person",
            "Frau Seidel, Lesepatin",
            "nach Absprache",
            "Pensionierte Lehrerin, liest einmal pro Woche mit Kindern.",
        ),
        ("ort", "Jugendclub West", "Di–Fr 14–20 Uhr", "Offener Treff mit Billard und Musikraum."),
    ],
    "nord-schoendorf": [
        (
            "angebot",
            "Fußball-AG des Sportvereins Schöndorf",
            "Mi 16–17.30 Uhr",
            "Freiplätze für Kinder aus Familien mit wenig Geld.",
        ),
        (
            "ort",
            "Familienzentrum Weimar-Nord",
            "Mo–Fr 9–17 Uhr",
            "Elterncafé, Beratung, Krabbelgruppe.",
        ),
        (
            "person",
            "Herr Kühn, Nachbarschaftshelfer",
            "nach Absprache",
            "Begleitet Familien zu Ämtern und übersetzt Russisch und Ukrainisch.",
        ),
    ],
    "mitte-sued": [
        (
            "angebot",
            "Lernwerkstatt in der Stadtbücherei",
            "Sa 10–12 Uhr",
            "Lernhilfe und Bücher für Grundschulkinder.",
        ),
        (
            "ort",
            "Spielplatz und Bolzplatz Südstadt",
            "ganztägig",
            "Treffpunkt vieler Familien am Nachmittag.",
        ),
        (
            "angebot",
            "Schwimmkurs für Nichtschwimmer (Schwimmhalle)",
            "Fr 15–16 Uhr",
            "Kostenlos über das Bildungs- und Teilhabepaket.",
        ),
    ],
}

BACKDATING_REASON = (
    "Die Hilfe lief auf Wunsch der Schule schon vor dem Bescheid an; der Antrag lag "
    "rechtzeitig vor."
)
