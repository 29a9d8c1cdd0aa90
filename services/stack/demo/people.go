package demo

// The demo programme's people, around Lyon. Every name is made up; the streets are real, the
// numbers on them are not anyone's in particular. Each display name ends with Tag, so that
// a list, a contract or a screenshot never passes for real people.

// Tag marks every demo record's name and every free text the seed writes.
const Tag = "(démo)"

// Account is a demo person who signs in: the banner and the README list them.
type Account struct {
	Role     string // "host" or "student"
	Name     string
	Email    string
	Password string
	// Story says in a few words what this person has to show (a sentence, her first name first).
	Story string
}

// The people who have an account. Their passwords are as public as the coordinator's: the
// seed only runs where identity seeded the development accounts.
var (
	Monique = Account{Role: "host", Name: "Monique Garnier", Email: "monique.garnier@demo.cohabit.test",
		Password: "monique-demo-password", Story: "Monique hosts Hugo: their contract under way, its check-ins, an incident"}
	Hugo = Account{Role: "student", Name: "Hugo Lefèvre", Email: "hugo.lefevre@demo.cohabit.test",
		Password: "hugo-demo-password", Story: "Hugo lives at Monique's: his contract, the problem he reported"}
	Lea = Account{Role: "student", Name: "Léa Fontaine", Email: "lea.fontaine@demo.cohabit.test",
		Password: "lea-demo-password", Story: "Léa meets Jeanne in three days: Jeanne said yes, Léa's answer is hers to give"}
)

// Accounts lists the people's demo accounts, in the banner's order.
var Accounts = []Account{Monique, Hugo, Lea}

type address struct {
	line1, postcode, city string
	lat, lng              float64
}

type roomSpec struct {
	title, description string
	areaM2             float64
	floor              int
	elevator           bool
	privateBathroom    bool
	contributionCents  int
	sharedSpaces       []string
	fromDays           int // availableFrom, in days from today
	untilMonths        int // availableUntil, in months from today; 0: open-ended
	draft              bool
}

type hostSpec struct {
	key        string // the request ids' stem: stable across runs
	name       string
	birth      string
	phone      string
	addr       address
	languages  []string
	services   []string
	hours      int
	nights     int
	rhythm     string
	account    *Account // nil: registered by the coordinator (assisted)
	unverified bool     // left waiting for the coordinator's verification
	room       *roomSpec
}

type studentSpec struct {
	key                    string
	name                   string
	birth                  string
	phone                  string
	institution, studies   string
	studyCity              string
	lat, lng               float64
	maxCommuteKm           int
	languages              []string
	gender                 string
	services               []string
	hours, nights          int
	rhythm                 string
	motivation             string
	account                *Account
	unverified             bool
	noApplication          bool
	budgetCents            int
	moveInDays, stayMonths int // moveInDate in days from today; moveOutDate months after it
}

const (
	company  = "SERVICE_COMPANY"
	shopping = "SERVICE_SHOPPING"
	meals    = "SERVICE_MEALS"
	digital  = "SERVICE_DIGITAL_HELP"
	errands  = "SERVICE_ERRANDS"
	garden   = "SERVICE_GARDENING"
	repairs  = "SERVICE_SMALL_REPAIRS"
	early    = "RHYTHM_EARLY"
	late     = "RHYTHM_LATE"
	flexible = "RHYTHM_FLEXIBLE"
	female   = "GENDER_FEMALE"
	male     = "GENDER_MALE"
)

var furnished = "Chambre meublée (lit, bureau, armoire), accès à la cuisine et à la salle de bains. "

var hosts = []hostSpec{
	{key: "monique", name: Monique.Name, birth: "1949-04-17", phone: "+33 4 78 28 14 02",
		addr:      address{"14 rue d'Austerlitz", "69004", "Lyon", 45.7745, 4.8322},
		languages: []string{"fr"}, services: []string{company, digital, meals}, hours: 3, nights: 4, rhythm: early,
		account: &Monique,
		room: &roomSpec{title: "Chambre sur cour à la Croix-Rousse", areaM2: 13, floor: 2, contributionCents: 15000,
			description: furnished + "Calme, sur cour, à deux pas du marché du boulevard.", sharedSpaces: []string{"cuisine", "salon", "salle de bains"},
			untilMonths: 12}},
	{key: "jeanne", name: "Jeanne Perrin", birth: "1944-11-02", phone: "+33 4 78 37 52 10",
		addr:      address{"8 quai Saint-Vincent", "69001", "Lyon", 45.7680, 4.8245},
		languages: []string{"fr", "it"}, services: []string{company, shopping}, hours: 2, nights: 5, rhythm: early,
		room: &roomSpec{title: "Grande chambre avec vue sur la Saône", areaM2: 16, floor: 3, elevator: true, contributionCents: 10000,
			description: furnished + "Vue sur la Saône, ascenseur.", sharedSpaces: []string{"cuisine", "salon"}, fromDays: 14, untilMonths: 10}},
	{key: "lucien", name: "Lucien Morel", birth: "1941-06-23", phone: "+33 4 78 72 33 41",
		addr:      address{"23 avenue Jean Jaurès", "69007", "Lyon", 45.7485, 4.8424},
		languages: []string{"fr", "en"}, services: []string{company, repairs, digital}, hours: 2, nights: 3, rhythm: flexible,
		room: &roomSpec{title: "Chambre près des quais du Rhône", areaM2: 11, floor: 1, contributionCents: 12000,
			description: furnished + "Près des universités de la Guillotière.", sharedSpaces: []string{"cuisine"}, fromDays: 21}},
	{key: "simone", name: "Simone Bertrand", birth: "1947-09-30", phone: "+33 4 78 24 61 85",
		addr:      address{"5 place Jules Ferry", "69006", "Lyon", 45.7700, 4.8530},
		languages: []string{"fr"}, services: []string{company, meals}, hours: 2, nights: 4, rhythm: early,
		room: &roomSpec{title: "Chambre lumineuse près des Brotteaux", areaM2: 12, floor: 4, elevator: true, contributionCents: 18000,
			description: furnished + "Immeuble ancien, quartier calme.", sharedSpaces: []string{"cuisine", "salon"}, fromDays: 30, untilMonths: 12}},
	{key: "gerard", name: "Gérard Lambert", birth: "1952-02-14", phone: "+33 4 78 60 19 77",
		addr:      address{"41 rue Paul Bert", "69003", "Lyon", 45.7590, 4.8490},
		languages: []string{"fr", "es"}, services: []string{shopping, garden}, hours: 3, nights: 2, rhythm: flexible,
		room: &roomSpec{title: "Chambre avec bureau, métro Place Guichard", areaM2: 10, floor: 1, contributionCents: 20000,
			description: furnished + "Métro à 3 minutes.", sharedSpaces: []string{"cuisine"}, fromDays: 7}},
	{key: "yvette", name: "Yvette Chevalier", birth: "1939-12-08", phone: "+33 4 78 42 08 56",
		addr:      address{"3 rue du Plat", "69002", "Lyon", 45.7545, 4.8270},
		languages: []string{"fr"}, services: []string{company, shopping, meals}, hours: 4, nights: 6, rhythm: early,
		room: &roomSpec{title: "Chambre gratuite contre présence, Bellecour", areaM2: 14, floor: 2, privateBathroom: true, contributionCents: 0,
			description: furnished + "Salle d'eau privée ; présence souhaitée la plupart des soirs.", sharedSpaces: []string{"cuisine", "salon"}, fromDays: 10, untilMonths: 9}},
	{key: "marcel", name: "Marcel Dumas", birth: "1950-05-19", phone: "+33 4 78 84 27 63",
		addr:      address{"12 rue Anatole France", "69100", "Villeurbanne", 45.7660, 4.8800},
		languages: []string{"fr", "de"}, services: []string{digital, repairs}, hours: 2, nights: 2, rhythm: late,
		room: &roomSpec{title: "Chambre à Villeurbanne, tram T1", areaM2: 11, contributionCents: 15000,
			description: furnished + "Tram T1 vers La Doua.", sharedSpaces: []string{"cuisine", "jardin"}, fromDays: 20}},
	{key: "odette", name: "Odette Faure", birth: "1946-08-11", phone: "+33 4 78 51 70 24",
		addr:      address{"60 Grande Rue", "69600", "Oullins", 45.7140, 4.8070},
		languages: []string{"fr"}, services: []string{garden, company}, hours: 2, nights: 3, rhythm: early,
		room: &roomSpec{title: "Chambre dans une maison avec jardin", areaM2: 15, contributionCents: 12000, draft: true,
			description: furnished + "Maison avec jardin ; la chambre est en cours de préparation.", sharedSpaces: []string{"cuisine", "jardin"}, fromDays: 45}},
	{key: "henri", name: "Henri Rousseau", birth: "1943-03-05", phone: "+33 4 78 92 45 18",
		addr:      address{"9 montée du Chemin Neuf", "69005", "Lyon", 45.7610, 4.8240},
		languages: []string{"fr", "en"}, services: []string{company, digital}, hours: 2, nights: 3, rhythm: flexible,
		room: &roomSpec{title: "Chambre dans le Vieux Lyon", areaM2: 9.5, floor: 3, contributionCents: 16000,
			description: furnished + "Au pied de Fourvière.", sharedSpaces: []string{"cuisine", "salon"}, fromDays: 15, untilMonths: 11}},
	{key: "paulette", name: "Paulette Giraud", birth: "1948-10-27", phone: "+33 4 78 74 36 90",
		addr:      address{"18 rue Antoine Lumière", "69008", "Lyon", 45.7440, 4.8700},
		languages: []string{"fr"}, services: []string{company, meals, shopping}, hours: 3, nights: 4, rhythm: early,
		room: &roomSpec{title: "Chambre à Monplaisir, près de Lyon 3", areaM2: 12, floor: 1, contributionCents: 13000,
			description: furnished + "Métro D Monplaisir-Lumière.", sharedSpaces: []string{"cuisine", "salon"}, fromDays: 30}},
	{key: "robert", name: "Robert Vidal", birth: "1955-01-09", phone: "+33 4 78 26 58 31",
		addr:      address{"7 avenue Franklin Roosevelt", "69500", "Bron", 45.7380, 4.9130},
		languages: []string{"fr", "ar"}, services: []string{garden, repairs, errands}, hours: 3, nights: 2, rhythm: late,
		room: &roomSpec{title: "Chambre à Bron, près du campus Porte des Alpes", areaM2: 13, contributionCents: 9000,
			description: furnished + "Tram T2 vers le campus.", sharedSpaces: []string{"cuisine", "jardin"}, fromDays: 7, untilMonths: 12}},
	{key: "colette", name: "Colette Mercier", birth: "1951-07-16", phone: "+33 4 78 08 63 12",
		addr:      address{"27 rue de la Pépinière Royale", "69300", "Caluire-et-Cuire", 45.7930, 4.8470},
		languages: []string{"fr"}, services: []string{company}, hours: 2, nights: 4, rhythm: early,
		unverified: true},
}

var students = []studentSpec{
	{key: "hugo", name: Hugo.Name, birth: "2004-02-11", phone: "+33 6 41 22 08 17", account: &Hugo,
		institution: "Université Lumière Lyon 2", studies: "Histoire", studyCity: "Lyon", lat: 45.7490, lng: 4.8370, maxCommuteKm: 6,
		languages: []string{"fr", "en"}, gender: male, services: []string{company, digital, meals}, hours: 3, nights: 4, rhythm: early,
		motivation:  "J'ai grandi avec mes grands-parents et j'aime la vie partagée.",
		budgetCents: 20000, moveInDays: 0, stayMonths: 10},
	{key: "lea", name: Lea.Name, birth: "2005-07-03", phone: "+33 6 52 31 77 04", account: &Lea,
		institution: "INSA Lyon", studies: "Génie civil", studyCity: "Villeurbanne", lat: 45.7830, lng: 4.8780, maxCommuteKm: 10,
		languages: []string{"fr", "it"}, gender: female, services: []string{company, shopping}, hours: 2, nights: 5, rhythm: early,
		motivation:  "Je cherche un lieu calme et une présence bienveillante.",
		budgetCents: 15000, moveInDays: 21, stayMonths: 9},
	{key: "ines", name: "Inès Benali", birth: "2003-10-21", phone: "+33 6 63 48 12 95",
		institution: "Sciences Po Lyon", studies: "Science politique", studyCity: "Lyon", lat: 45.7460, lng: 4.8400, maxCommuteKm: 5,
		languages: []string{"fr", "en", "ar"}, gender: female, services: []string{company, digital}, hours: 2, nights: 3, rhythm: flexible,
		motivation:  "Partager le quotidien d'une personne âgée me tient à cœur.",
		budgetCents: 18000, moveInDays: 28, stayMonths: 10},
	{key: "lucas", name: "Lucas Martin", birth: "2002-05-14", phone: "+33 6 74 55 29 60",
		institution: "ENS de Lyon", studies: "Biologie", studyCity: "Lyon", lat: 45.7300, lng: 4.8280, maxCommuteKm: 8,
		languages: []string{"fr", "en"}, gender: male, services: []string{repairs, errands}, hours: 3, nights: 2, rhythm: late,
		motivation:  "Bricoleur, je peux rendre de petits services.",
		budgetCents: 20000, moveInDays: 30, stayMonths: 12},
	{key: "chloe", name: "Chloé Girard", birth: "2005-01-29", phone: "+33 6 85 60 43 21",
		institution: "Université Jean Moulin Lyon 3", studies: "Droit", studyCity: "Lyon", lat: 45.7500, lng: 4.8660, maxCommuteKm: 6,
		languages: []string{"fr", "es"}, gender: female, services: []string{company, meals}, hours: 3, nights: 4, rhythm: early,
		motivation:  "J'aime cuisiner et partager les repas.",
		budgetCents: 15000, moveInDays: 35, stayMonths: 9},
	{key: "mathis", name: "Mathis Robert", birth: "2003-08-08", phone: "+33 6 96 71 58 33",
		institution: "École Centrale de Lyon", studies: "Ingénierie", studyCity: "Écully", lat: 45.7830, lng: 4.7660, maxCommuteKm: 12,
		languages: []string{"fr", "de"}, gender: male, services: []string{digital, garden}, hours: 2, nights: 2, rhythm: flexible,
		motivation:  "Je peux aider avec l'ordinateur et le jardin.",
		budgetCents: 25000, moveInDays: 21, stayMonths: 10},
	{key: "sarah", name: "Sarah Nguyen", birth: "2004-12-01", phone: "+33 6 17 82 64 49",
		institution: "Université Claude Bernard Lyon 1", studies: "Médecine", studyCity: "Lyon", lat: 45.7400, lng: 4.8790, maxCommuteKm: 7,
		languages: []string{"fr", "en"}, gender: female, services: []string{company, shopping, errands}, hours: 3, nights: 3, rhythm: early,
		motivation:  "Étudiante en médecine, j'ai besoin de calme pour réviser.",
		budgetCents: 18000, moveInDays: 30, stayMonths: 12},
	{key: "yanis", name: "Yanis Haddad", birth: "2002-03-17", phone: "+33 6 28 93 75 52",
		institution: "emlyon business school", studies: "Management", studyCity: "Écully", lat: 45.7870, lng: 4.7700, maxCommuteKm: 15,
		languages: []string{"fr", "ar", "en"}, gender: male, services: []string{shopping, errands}, hours: 2, nights: 2, rhythm: late,
		motivation:  "Je rentre tard mais je suis là le week-end.",
		budgetCents: 30000, moveInDays: 45, stayMonths: 9},
	{key: "emma", name: "Emma Petit", birth: "2006-06-25", phone: "+33 6 39 04 86 63",
		institution: "Université Lumière Lyon 2 (Bron)", studies: "Psychologie", studyCity: "Bron", lat: 45.7240, lng: 4.9180, maxCommuteKm: 8,
		languages: []string{"fr"}, gender: female, services: []string{company, meals}, hours: 3, nights: 4, rhythm: early,
		motivation:  "Première année à Lyon, je préfère ne pas vivre seule.",
		budgetCents: 12000, moveInDays: 21, stayMonths: 10},
	{key: "nathan", name: "Nathan Moreau", birth: "2001-11-12", phone: "+33 6 40 15 97 74",
		institution: "INSA Lyon", studies: "Informatique", studyCity: "Villeurbanne", lat: 45.7830, lng: 4.8780, maxCommuteKm: 10,
		languages: []string{"fr", "en"}, gender: male, services: []string{digital, repairs}, hours: 2, nights: 3, rhythm: flexible,
		motivation:  "Je peux installer et expliquer les outils numériques.",
		budgetCents: 17000, moveInDays: 25, stayMonths: 10},
	{key: "manon", name: "Manon Lefort", birth: "2004-04-04", phone: "+33 6 51 26 08 85",
		institution: "Université Jean Moulin Lyon 3", studies: "Langues étrangères", studyCity: "Lyon", lat: 45.7500, lng: 4.8660, maxCommuteKm: 6,
		languages: []string{"fr", "en", "es"}, gender: female, services: []string{company}, hours: 2, nights: 3, rhythm: flexible,
		motivation:    "Je cherche pour la rentrée prochaine.",
		noApplication: true},
	{key: "jade", name: "Jade Laurent", birth: "2006-09-19", phone: "+33 6 62 37 19 96",
		institution: "Université Claude Bernard Lyon 1", studies: "Chimie", studyCity: "Villeurbanne", lat: 45.7800, lng: 4.8650, maxCommuteKm: 8,
		languages: []string{"fr"}, gender: female, services: []string{company, shopping}, hours: 2, nights: 4, rhythm: early,
		motivation: "Je viens d'arriver à Lyon.",
		unverified: true},
}

// Story says what the demo programme holds, for the banner (each line indented).
const Story = `    around Lyon: 12 hosts (Colette waits to be verified) and 12 students (Jade too);
    11 rooms: 9 published, Monique's occupied, Odette's a draft; 9 applications in the pool;
    a proposal waiting for its meeting (Lucien's room, Inès);
    a meeting in three days (Jeanne's room, Léa): Jeanne said yes, Léa has to answer;
    a stay under way (Monique hosts Hugo): contract signed and active, check-ins scheduled,
    the first one done, an incident Hugo reported still open.
`
