package webapp

import "strconv"

// coordinate is a latitude or longitude as a form shows it: empty when the service found it
// from the commune (approximate: the form's empty fields mean "found from the town", and
// posting them empty places the address again) or when it is unknown (0).
func coordinate(v float64, approximate bool) string {
	if approximate || v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
