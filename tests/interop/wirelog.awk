# wirelog.awk: turns the rows mod_bidilab_wirelog.lua wrote on each server of the interop lab
# into one wire log (docs/wire-log.md; capture/README.md).
#
#   sort -s -t "$(printf '\t')" -k1,1n A.tsv B.tsv > rows.tsv
#   awk -F '\t' -f wirelog.awk rows.tsv rows.tsv > capture.log      # the file twice: two passes
#
# A TCP connection is (initiator address:port, receiving address:port); it gets the label connN
# in the order of its first row. Where both ends were logged (Prosody on both sides), each write
# appears once, from the writer's OUT row. Where only one end was logged (a peer that is not one
# of the lab's Prosody instances), that end's IN rows are the peer's writes, marked "(peer)".
# WRITER is the domain the writer stands for on that stream. Time is relative to the first row.
function conn_key(   ini, rcv) {
    if ($3 == "outgoing") { ini = $5; rcv = $6 } else { ini = $6; rcv = $5 }
    INI = ini; RCV = rcv
    return ini " " rcv
}
function rest_from(n,   i, s) {       # DATA may itself hold tabs: fields n..NF joined again
    s = $n
    for (i = n + 1; i <= NF; i++) s = s "\t" $i
    return s
}
function header_attr(data, name,   m) {
    if (match(data, "<stream:stream[^>]*[ \t]" name "=['\"][^'\"]*['\"]")) {
        m = substr(data, RSTART, RLENGTH)
        sub(".*[ \t]" name "=['\"]", "", m)
        sub("['\"]$", "", m)
        return m
    }
    return ""
}
BEGIN { pass = 1 }
FNR == 1 && NR != 1 { pass = 2 }
NF < 9 { next }
pass == 1 {
    k = conn_key()
    if (!((k, $2) in logged)) { logged[k, $2] = 1; loggers[k]++ }
    next
}
{
    k = conn_key()
    data = rest_from(9)
    if ($4 == "OUT") {
        arrow = ($3 == "outgoing") ? "->" : "<-"
        writer = $7
        mark = ""
    } else {
        if (loggers[k] > 1) next      # the other end logged this as its own write
        arrow = ($3 == "outgoing") ? "<-" : "->"
        writer = $8
        if (writer == "-") writer = header_attr(data, "from")
        if (writer == "") writer = (k in peer_domain) ? peer_domain[k] : "?"
        peer_domain[k] = writer
        mark = " (peer)"
    }
    if (data ~ /^[ \t]*$/) next       # whitespace keepalive: no XML to show
    if (!(k in label)) {
        label[k] = "conn" nconn++
        domain = ($3 == "outgoing") ? $8 : $7
        if (domain == "-" || domain == "") domain = header_attr(data, "to")
        if (domain == "") domain = "?"
        printf "# %s: initiator %s -> receiving server %s (%s)\n", label[k], INI, RCV, domain
    }
    if (t0 == "") t0 = $1
    printf "%10.6f %s %s %-24s %s\n", $1 - t0, label[k], arrow, writer mark, data
    lines++
}
END { if (lines == 0) exit 3 }
