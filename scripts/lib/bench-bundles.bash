# shellcheck shell=bash disable=SC2154 # $work and $cgroup are the sourcing script's
# Sourced by the bench scripts. Needs $work (runc's root is $work/runc) and $cgroup (the bench's
# private cgroup parent, removed when it ends).
#
# own_bundle DIR SRC CGROUP: a bundle of its own in DIR, SRC's config.json with the rootfs made
# absolute and linux.cgroupsPath set to CGROUP, as corrald prepares each container's. Raw runc
# gets one too: without a cgroupsPath runc 1.1 makes the container's cgroups under its caller's
# own (here the memory cgroup of the session, /process_api/...), and `runc run -d` measured a
# median 31.9 ms that way against 23.6 ms with a cgroupsPath, in the same run (30 of each).
# Forks: keep it out of timed windows.
own_bundle() {
  mkdir -p "$1" &&
    sed "s|\"path\": *\"rootfs\"|\"path\": \"$2/rootfs\"|; s|\"linux\": *{|\"linux\": {\"cgroupsPath\": \"$3\",|" \
      "$2/config.json" >"$1/config.json"
}

# The conmon floor: conmon as corrald spawns it (ConmonLauncher's
# flags), its sync pipe read for the init's pid, then the start as corrald does it (the init's
# byte from runc's exec FIFO). No daemon, no HTTP, no files of corrald's: what any design that
# keeps each container under conmon pays at the least.
#   shim_prepare ID BUNDLE  the dirs, the sync FIFO and a bundle of its own (own_bundle, its
#                           cgroup $cgroup/floor/ID), as corrald makes one per container; conmon
#                           also puts its attach socket and its ctl and winsz FIFOs in the bundle
#                           dir (forks: keep it out of timed windows)
#   shim_start ID [FLAG]    conmon (FLAG e.g. --sync) until the container runs; sets shim_pid
# Ids must be short: conmon's attach socket goes under $work/shim/sock/ID (-u is the id itself).
shimd="$work/shim"
runc_bin="$(command -v runc)"
shim_prepare() {
  local d="$shimd/$1"
  mkdir -p "$shimd/sock" "$d/exits" "$d/persist" && mkfifo "$d/sync" &&
    own_bundle "$d/bundle" "$2" "$cgroup/floor/$1"
}
shim_start() {
  local id=$1 d="$shimd/$1" line
  # shellcheck disable=SC2086 # ${2:-} is one optional flag or nothing
  _OCI_SYNCPIPE=3 conmon --api-version 1 -c "$id" -u "$id" -n "$id" -r "$runc_bin" -b "$d/bundle" \
    -p "$d/init.pid" -P "$d/conmon.pid" -l "k8s-file:$d/ctr.log" --exit-dir "$d/exits" \
    --persist-dir "$d/persist" --socket-dir-path "$shimd/sock" --log-level warn --no-sync-log \
    ${2:-} --runtime-arg "--root=$work/runc" 3>"$d/sync" </dev/null >/dev/null 2>&1 &
  # shellcheck disable=SC2034 # read by the sourcing script
  shim_pid=$!
  read -r line <"$d/sync"
  [[ "$line" =~ \"data\":\ *[1-9] ]] || { echo "conmon $id: $line" >&2; return 1; }
  read -r -n1 _ <"$work/runc/$id/exec.fifo"
}
