#!/bin/sh
# solve.sh - `zhucun solve`: DIMACS in, "s COST" / "f FROM TO FLOW" out,
# infeasible -> exit 3, bad input -> exit 65 naming file and line.
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")/../data/dimacs" && pwd)"

run solve "$D/textbook.min"
expect_rc textbook_rc 0
expect_out textbook_cost "s 14"

run solve --flows "$D/textbook.min"
expect_out textbook_flow_12 "f 1 2 2"
expect_out textbook_flow_34 "f 3 4 4"
expect_no_out textbook_no_zero_flow "f 2 4"

for alg in simplex auto; do
    run solve --algorithm "$alg" --verify "$D/lower.min"
    expect_rc "lower_${alg}_rc" 0
    expect_out "lower_${alg}_cost" "s 34"
    expect_err "lower_${alg}_verified" "c verified"
done

for alg in assign simplex; do
    run solve --algorithm "$alg" --flows --verify "$D/assign.min"
    expect_out "assign_${alg}_cost" "s 5"
    expect_out "assign_${alg}_flow" "f 1 5 1"
    expect_out "assign_${alg}_unassigned" "f 2 6 1"
done

run solve --algorithm assign "$D/textbook.min"
expect_rc assign_wrong_shape_rc 65
expect_err assign_wrong_shape_msg "transportation shape"

run solve "$D/infeasible.min"
expect_rc infeasible_rc 3
expect_out infeasible_line "s INFEASIBLE"

run solve "$D/bad_head.min"
expect_rc bad_head_rc 65
expect_err bad_head_msg "bad_head.min: line 6: arc head 9 is out of range 1..4"

"$ZHUCUN" solve <"$D/textbook.min" >"$T/out" 2>"$T/err"
RC=$?
expect_rc stdin_rc 0
expect_out stdin_cost "s 14"
"$ZHUCUN" solve - --stats <"$D/lower.min" >"$T/out" 2>"$T/err"
RC=$?
expect_out stdin_dash_cost "s 34"
expect_err stats_line "c solve"

printf 'p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 x\n' >"$T/bad.min"
run solve "$T/bad.min"
expect_rc bad_number_rc 65
expect_err bad_number_msg "line 4: expected 'a FROM TO LOW CAP COST'"

printf 'p min 2 2\na 1 2 0 1 1\n' >"$T/short.min"
run solve "$T/short.min"
expect_err short_msg "declares 2 arcs, found 1"

printf 'p max 2 1\n' >"$T/max.min"
run solve "$T/max.min"
expect_err max_msg "line 1: problem type 'max' is not 'min'"

run solve "$T/does-not-exist.min"
expect_rc missing_rc 66

run solve --help
expect_rc help_rc 0
expect_out help_usage "usage: zhucun solve"

run solve --bogus
expect_rc bogus_rc 64

finish
