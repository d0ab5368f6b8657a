# Keeps a Smithy JSON AST model's listed operations ($ops, short names):
# the service shape (without its endpoint rules and tests, and listing only
# those operations), each operation's input, errors and traits, and the
# closure of shapes they reach (members, list members, map keys and
# values). Every trait is copied unchanged except documentation and
# examples, which are dropped. Used by refresh.sh.
def targets: [.target?, .member.target?, .key.target?, .value.target?, ((.members // {}) | .[] | .target)] | map(select(. != null));
. as $m
| ($m.shapes | to_entries | map(select(.value.type == "service")) | .[0]) as $svc
| ($svc.key | split("#")[0]) as $ns
| ($ops | map($ns + "#" + .)) as $opids
| ([$opids[] | $m.shapes[.] // error("no operation " + .) | .input.target, ((.errors // [])[] | .target)] | map(select(. != null))) as $start
| ({seen: {}, todo: $start}
   | until((.todo | length) == 0;
       .todo[0] as $t | .todo |= .[1:]
       | if .seen[$t] or ($m.shapes[$t] == null) then . else .seen[$t] = true | .todo += ($m.shapes[$t] | targets) end)
   | .seen | keys) as $closure
| {smithy: $m.smithy, shapes: (
    {($svc.key): ($svc.value | {type, version, traits: (.traits | del(.["smithy.rules#endpointRuleSet"], .["smithy.rules#endpointTests"])), operations: ($opids | map({target: .}))})}
    + (reduce $opids[] as $o ({}; .[$o] = ($m.shapes[$o] | {type, input, errors, traits} | with_entries(select(.value != null)))))
    + (reduce $closure[] as $s ({}; .[$s] = $m.shapes[$s])))}
| walk(if type == "object" then del(.["smithy.api#documentation"], .["smithy.api#examples"]) else . end)
