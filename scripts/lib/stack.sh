# shellcheck shell=bash
# Sourced by the scripts that run a whole platform of their own beside anything else on the
# machine (the browser tests gateway/web/e2e/run.sh, the HTTP benchmark scripts/bench-http.sh):
# installing Debian packages they need, and starting and stopping services/stack's all-in-one
# runner on a fresh data folder and free ports. The caller defines log().

# apt_install installs Debian packages as root, or through sudo when it needs no password; a
# mirror that fails once is asked again (three attempts). Fails when neither is possible.
apt_install() {
	local as_root=() try
	if [[ $(id -u) -ne 0 ]]; then
		sudo -n true 2>/dev/null || { log "run 'sudo apt-get install -y $*' and try again"; return 1; }
		as_root=(sudo -n)
	fi
	for try in 1 2 3; do
		if "${as_root[@]}" apt-get update -qq &&
			"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
			return 0
		fi
		log "apt-get failed (attempt $try of 3)"
		sleep $((try * 10))
	done
	log "could not install $*"
	return 1
}

# can_install reports whether apt_install may work here (root, or sudo without a password).
can_install() { [[ $(id -u) -eq 0 ]] || sudo -n true 2>/dev/null; }

# free_port prints a free local port below Linux's ephemeral range (32768–60999), where no
# outgoing connection can take it between this check and the server's start, and none of
# the ports given as arguments (those already picked).
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((16000 + RANDOM % 16000))
		[[ " $* " == *" $p "* ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	log "no free local port found"
	return 1
}

# stack_start WORK starts WORK/cohabit (built by the caller) with its data in WORK/data, its
# logs in WORK/stack.out and WORK/stack.log, PostgreSQL, NATS and HTTP on free ports, and
# waits (two minutes at most) until it is ready. It sets STACK_URL, STACK_PID and
# STACK_PG_PORT (the cluster's port); STACK_HOSTS_GRPC_ADDR, when set, is the hosts service's
# gRPC address. The demo programme is left empty (COHABIT_DEMO_SEED=false): the callers seed
# what they measure.
stack_start() {
	local work=$1 pg_port nats_port port started=$SECONDS
	# PostgreSQL runs as the postgres user when we are root: it must reach its folder.
	chmod 755 "$work"
	pg_port=$(free_port) && nats_port=$(free_port "$pg_port") && port=$(free_port "$pg_port" "$nats_port") || return 1
	STACK_URL="http://127.0.0.1:$port"
	STACK_PG_PORT=$pg_port
	log "starting the platform on $STACK_URL (data in $work/data)"
	env COHABIT_DATA_DIR="$work/data" COHABIT_HTTP_ADDR="127.0.0.1:$port" \
		COHABIT_LOCAL_PG_PORT="$pg_port" COHABIT_LOCAL_NATS_PORT="$nats_port" \
		COHABIT_IDENTITY_GRPC_ADDR=127.0.0.1:0 COHABIT_HOSTS_GRPC_ADDR="${STACK_HOSTS_GRPC_ADDR:-127.0.0.1:0}" \
		COHABIT_STUDENTS_GRPC_ADDR=127.0.0.1:0 COHABIT_MATCHING_GRPC_ADDR=127.0.0.1:0 \
		COHABIT_CONTRACTS_GRPC_ADDR=127.0.0.1:0 COHABIT_NOTIFICATIONS_GRPC_ADDR=127.0.0.1:0 \
		COHABIT_FIGURES_GRPC_ADDR=127.0.0.1:0 COHABIT_DESK_GRPC_ADDR=127.0.0.1:0 \
		COHABIT_LOG_LEVEL=warn COHABIT_DEMO_SEED=false \
		"$work/cohabit" >"$work/stack.out" 2>"$work/stack.log" &
	STACK_PID=$!
	for _ in $(seq 1 240); do
		if curl -fsS -o /dev/null "$STACK_URL/readyz" 2>/dev/null; then
			log "platform ready after $((SECONDS - started))s"
			return 0
		fi
		kill -0 "$STACK_PID" 2>/dev/null || { log "the platform stopped"; return 1; }
		sleep 0.5
	done
	log "the platform is not ready after 2 minutes"
	return 1
}

# stack_stop stops the platform stack_start started (Ctrl-C, then SIGKILL after 10 s); with
# a failure status, it shows the last lines of its log first.
stack_stop() {
	local rc=$1 work=$2
	if [[ -n ${STACK_PID:-} ]] && kill -0 "$STACK_PID" 2>/dev/null; then
		kill -INT "$STACK_PID" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$STACK_PID" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -f $work/stack.log ]]; then
		log "last lines of the platform's log:"
		tail -n 30 "$work/stack.log" >&2 || true
	fi
}
