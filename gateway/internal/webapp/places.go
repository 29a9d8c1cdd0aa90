package webapp

import "strings"

// The services place a host's home and a student's place of study by latitude and
// longitude, for commute distances. Until the platform geocodes addresses, a form left
// without coordinates takes the centre of the town when it is one of these; otherwise the
// coordinator types them (the form says so).
var townCentres = map[string][2]float64{
	"aix en provence":  {43.5297, 5.4474},
	"amiens":           {49.8941, 2.2958},
	"angers":           {47.4784, -0.5632},
	"annecy":           {45.8992, 6.1294},
	"avignon":          {43.9493, 4.8055},
	"besancon":         {47.2378, 6.0241},
	"bordeaux":         {44.8378, -0.5792},
	"brest":            {48.3904, -4.4861},
	"caen":             {49.1829, -0.3707},
	"clermont ferrand": {45.7772, 3.0870},
	"dijon":            {47.3220, 5.0415},
	"grenoble":         {45.1885, 5.7245},
	"le havre":         {49.4944, 0.1079},
	"le mans":          {48.0061, 0.1996},
	"lille":            {50.6292, 3.0573},
	"limoges":          {45.8336, 1.2611},
	"lyon":             {45.7578, 4.8320},
	"marseille":        {43.2965, 5.3698},
	"metz":             {49.1193, 6.1757},
	"montpellier":      {43.6108, 3.8767},
	"mulhouse":         {47.7508, 7.3359},
	"nancy":            {48.6921, 6.1844},
	"nantes":           {47.2184, -1.5536},
	"nice":             {43.7102, 7.2620},
	"nimes":            {43.8367, 4.3601},
	"orleans":          {47.9030, 1.9093},
	"paris":            {48.8566, 2.3522},
	"pau":              {43.2951, -0.3708},
	"perpignan":        {42.6887, 2.8948},
	"poitiers":         {46.5802, 0.3404},
	"reims":            {49.2583, 4.0317},
	"rennes":           {48.1173, -1.6778},
	"rouen":            {49.4432, 1.0999},
	"saint etienne":    {45.4397, 4.3872},
	"strasbourg":       {48.5734, 7.7521},
	"toulon":           {43.1242, 5.9280},
	"toulouse":         {43.6047, 1.4442},
	"tours":            {47.3941, 0.6848},
	"villeurbanne":     {45.7719, 4.8902},
}

var accents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y",
	"-", " ", "'", " ", "’", " ",
)

// townCentre returns the centre of a known town ("Saint-Étienne", "lyon").
func townCentre(city string) (lat, lng float64, ok bool) {
	k := strings.Join(strings.Fields(accents.Replace(strings.ToLower(city))), " ")
	if strings.HasPrefix(k, "st ") {
		k = "saint " + k[3:]
	}
	c, ok := townCentres[k]
	return c[0], c[1], ok
}
