#!/usr/bin/env bash
# A whole stay through the REST API, with curl and jq, against a running `make run`:
# a coordinator registers and verifies a host and publishes her room; a student signs up,
# is verified and applies; the coordinator reads the candidates, proposes, schedules the
# meeting, records the host's yes, the student says yes, the match is approved; the contract
# is drafted by the events, sent, signed on paper for the host and by the student; the room is
# occupied; a check-in is done, an incident handled, notice given. (A notice takes effect on
# its date: the journey test moves time to see the room come back; here it stays given.)
#
# Usage: scripts/walk.sh [API base URL, default http://localhost:8080]
set -euo pipefail
API=${1:-${API:-http://localhost:8080}}
run=$(date +%s)

say() { printf '\n== %s\n' "$*"; }
# call METHOD PATH TOKEN [JSON]: prints the body; fails on an HTTP error with its body.
call() {
	local method=$1 path=$2 token=$3 body=${4:-}
	local args=(-sS -X "$method" -w '\n%{http_code}' "$API$path" -H 'Content-Type: application/json')
	[[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
	[[ -n $body ]] && args+=(-d "$body")
	local out code
	out=$(curl "${args[@]}")
	code=${out##*$'\n'}
	out=${out%$'\n'*}
	if ((code >= 400)); then
		echo "$method $path -> HTTP $code: $out" >&2
		return 1
	fi
	printf '%s' "$out"
}
# wait_for DESCRIPTION COMMAND...: retries until the command prints "true" (events travel).
wait_for() {
	local what=$1
	shift
	for _ in $(seq 1 100); do
		[[ $("$@" 2>/dev/null) == true ]] && return 0
		sleep 0.2
	done
	echo "timed out waiting for: $what" >&2
	return 1
}
login() { call POST /v1/auth/login "" "{\"email\":\"$1\",\"password\":\"$2\"}" | jq -r .accessToken; }

say "the coordinator signs in"
COORD=$(login coordinator@demo.cohabit.test coordinator-demo-password)
PROG=$(call GET /v1/me "$COORD" | jq -r .programmeId)

say "she registers Jeanne (assisted, consent recorded), verifies her, adds and publishes a room"
HOST=$(call POST /v1/hosts "$COORD" '{"displayName":"Jeanne Martin","birthDate":"1948-03-12",
  "phone":"+33 4 78 00 00 00","address":{"line1":"12 rue Victor Hugo","postcode":"69002","city":"Lyon","lat":45.7578,"lng":4.832},
  "languages":["fr"],"servicesWanted":["SERVICE_COMPANY","SERVICE_MEALS"],"hoursWantedPerWeek":3,"nightsWantedPerWeek":4,
  "rhythm":"RHYTHM_EARLY","assisted":true,"consentRecorded":true}' | jq -r .id)
call POST "/v1/hosts/$HOST:verify" "$COORD" '{}' | jq -c '{status}'
ROOM=$(call POST "/v1/hosts/$HOST/rooms" "$COORD" '{"title":"Chambre calme près des quais","areaM2":12,"furnished":true,
  "monthlyContributionCents":15000,"availableFrom":"2027-01-01","sharedSpaces":["cuisine","salon"]}' | jq -r .id)
call POST "/v1/rooms/$ROOM:publish" "$COORD" '{}' | jq -c '{status, city}'

say "Léa signs up, creates her profile; the coordinator verifies her; she applies"
EMAIL="lea.$run@example.org"
call POST /v1/auth/signup "" "{\"email\":\"$EMAIL\",\"password\":\"lea-password-1\",\"role\":\"ROLE_STUDENT\",\"programmeId\":\"$PROG\"}" >/dev/null
LEA=$(login "$EMAIL" lea-password-1)
STUDENT=$(call POST /v1/students "$LEA" '{"displayName":"Léa Dubois","birthDate":"2004-05-06","email":"lea@example.org",
  "institution":"Université Lyon 2","studies":"Sociologie","studyPlace":{"lat":45.749,"lng":4.836,"city":"Lyon"},"maxCommuteKm":8,
  "languages":["fr","en"],"gender":"GENDER_FEMALE","servicesOffered":["SERVICE_COMPANY","SERVICE_DIGITAL_HELP"],
  "hoursOfferedPerWeek":3,"nightsPresentPerWeek":4,"rhythm":"RHYTHM_EARLY","motivation":"J'\''aime la compagnie."}' | jq -r .id)
call POST "/v1/students/$STUDENT:verify" "$COORD" '{}' | jq -c '{status}'
call POST "/v1/students/$STUDENT/applications" "$LEA" '{"budgetCents":20000,"moveInDate":"2027-01-15","moveOutDate":"2027-06-30"}' | jq -c '{status}'

say "the room's candidates, each with its breakdown"
wait_for "Léa among the candidates" bash -c "curl -s '$API/v1/rooms/$ROOM/candidates' -H 'Authorization: Bearer $COORD' | jq 'any(.candidates[]?; .studentId == \"$STUDENT\")'"
call GET "/v1/rooms/$ROOM/candidates?pageSize=3" "$COORD" | jq -c '.candidates[] | {studentId, score, breakdown: [.breakdown[] | {criterion, contribution, reasonFr}]}'

say "propose, meet, the host's yes (recorded by the coordinator), Léa's yes, approval"
MATCH=$(call POST /v1/matches "$COORD" "{\"roomId\":\"$ROOM\",\"studentId\":\"$STUDENT\"}" | jq -r .id)
call POST "/v1/matches/$MATCH:scheduleMeeting" "$COORD" "{\"meetingAt\":\"$(date -u -d '+2 days' +%Y-%m-%dT10:00:00Z)\"}" | jq -c '{status}'
call POST "/v1/matches/$MATCH:accept" "$COORD" '{"party":"PARTY_HOST"}' | jq -c '{status, hostAccepted}'
call POST "/v1/matches/$MATCH:accept" "$LEA" '{}' | jq -c '{status}'

say "no approval before the documents: the coordinator saw Jeanne's and Léa's papers in person"
call GET "/v1/documents?ownerId=$HOST" "$COORD" | jq -c '[.documents[] | {kind, status}]'
for OWNER in "$HOST" "$STUDENT"; do
	for DOC in $(call GET "/v1/documents?ownerId=$OWNER" "$COORD" | jq -r '.documents[] | select(.status != "DOCUMENT_STATUS_VERIFIED") | .id'); do
		call POST "/v1/documents/$DOC:verify" "$COORD" '{"seenInPerson":true}' | jq -c '{kind, status}'
	done
done
call POST "/v1/matches/$MATCH:approve" "$COORD" '{}' | jq -c '{status}'

say "the events draft the contract and reserve the room"
wait_for "the contract" bash -c "curl -s '$API/v1/contracts?matchId=$MATCH' -H 'Authorization: Bearer $COORD' | jq '(.contracts | length) == 1'"
CONTRACT=$(call GET "/v1/contracts?matchId=$MATCH" "$COORD" | jq -r '.contracts[0].id')
call GET "/v1/rooms/$ROOM" "$COORD" | jq -c '{room: .status}'

say "send, sign on paper for Jeanne, Léa signs: the contract is active"
call POST "/v1/contracts/$CONTRACT:send" "$COORD" '{}' | jq -c '{status}'
call POST "/v1/contracts/$CONTRACT:sign" "$COORD" '{"party":"PARTY_HOST","method":"SIGNATURE_METHOD_PAPER"}' | jq -c '{status}'
wait_for "Léa sees her contract" bash -c "[[ \$(curl -s -o /dev/null -w '%{http_code}' '$API/v1/contracts/$CONTRACT' -H 'Authorization: Bearer $LEA') == 200 ]] && echo true"
call POST "/v1/contracts/$CONTRACT:sign" "$LEA" '{}' | jq -c '{status, signatures: [.signatures[] | {party, method, onBehalf}]}'
wait_for "the room occupied" bash -c "curl -s '$API/v1/rooms/$ROOM' -H 'Authorization: Bearer $COORD' | jq '.status == \"ROOM_STATUS_OCCUPIED\"'"
call GET "/v1/rooms/$ROOM" "$COORD" | jq -c '{room: .status}'
curl -sS "$API/v1/contracts/$CONTRACT/document" -H "Authorization: Bearer $COORD" -o "/tmp/contrat-$CONTRACT.pdf"
echo "printable contract: /tmp/contrat-$CONTRACT.pdf ($(head -c 4 "/tmp/contrat-$CONTRACT.pdf"))"

say "follow-up: the agenda, a check-in, an incident"
call GET "/v1/checkins?contractId=$CONTRACT" "$COORD" | jq -c '.checkins[] | {dueDate, status}'
CHECKIN=$(call GET "/v1/checkins?contractId=$CONTRACT" "$COORD" | jq -r '.checkins[0].id')
call POST "/v1/checkins/$CHECKIN:complete" "$COORD" '{"method":"CHECKIN_METHOD_VISIT","hostWellbeing":5,"studentWellbeing":4,"notes":"Tout va bien."}' | jq -c '{status}'
INCIDENT=$(call POST "/v1/contracts/$CONTRACT/incidents" "$LEA" '{"severity":"SEVERITY_MEDIUM","category":"NOISE","description":"Télévision forte le soir."}' | jq -r .id)
call POST "/v1/incidents/$INCIDENT:mediate" "$COORD" '{}' | jq -c '{status}'
call POST "/v1/incidents/$INCIDENT:resolve" "$COORD" '{"resolution":"Casque offert."}' | jq -c '{status}'

say "Léa gives notice"
call POST "/v1/contracts/$CONTRACT:terminate" "$LEA" "{\"reason\":\"Fin d'études\",\"effectiveDate\":\"$(date -d '+45 days' +%Y-%m-%d)\"}" | jq -c '{status, termination}'
say "done"
