//! The flowchart's nodes, derived from the SOP's steps; the template only draws them.
//!
//! The main column runs top to bottom: start, one node per step (an inspection adds the "damaged or
//! lost?" diamond after its box), end. An approval is a diamond whose "rejected" arrow goes right to a
//! side end; the damage diamond's "no" arrow bypasses the settlement steps and joins the next node.

use serde_json::{Value, json};

use super::data::{FlowLabels, SopStep, StepKind};

/// The flowchart nodes; `items` turns a line into word items.
pub fn nodes(steps: &[SopStep], labels: &FlowLabels, items: &dyn Fn(&str) -> Value) -> Vec<Value> {
    let mut out = vec![json!({ "shape": "terminal", "title": items(&labels.start) })];
    // A damage diamond's bypass still needs its target (the next node that is not a settlement).
    let mut open_bypass = false;
    for step in steps {
        let title = items(&format!("{}. {}", step.number, step.title));
        let join = open_bypass && step.kind != StepKind::Settlement;
        if join {
            open_bypass = false;
        }
        match step.kind {
            StepKind::Approval => out.push(json!({
                "shape": "decision", "title": title, "who": items(&step.who),
                "yes": items(&labels.approved), "no": items(&labels.rejected),
                "side": items(&labels.rejected_end), "joins": join,
            })),
            StepKind::Process | StepKind::Settlement | StepKind::Inspection => {
                out.push(json!({ "shape": "process", "title": title, "who": items(&step.who), "joins": join }))
            }
        }
        if step.kind == StepKind::Inspection {
            out.push(json!({
                "shape": "decision", "title": items(&labels.damaged), "who": null,
                "yes": items(&labels.yes), "no": items(&labels.no), "side": null, "joins": false,
            }));
            open_bypass = true;
        }
    }
    out.push(json!({ "shape": "terminal", "title": items(&labels.end), "joins": open_bypass }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lending::documents::SopManual;

    fn shapes(nodes: &[Value]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| {
                let s = n["shape"].as_str().unwrap();
                let mark = if n["joins"] == true { "*" } else { "" };
                let side = if n["side"].is_null() { "" } else { "+end" };
                format!("{s}{side}{mark}")
            })
            .collect()
    }

    #[test]
    fn the_damage_bypass_joins_the_first_node_after_the_settlement_steps() {
        let m = SopManual::sample();
        let n = nodes(&m.steps, &m.flow, &|t| Value::from(t));
        assert_eq!(
            shapes(&n),
            [
                "terminal",
                "process",
                "process",
                "decision+end",
                "process",
                "process",
                "process",
                "decision",
                "process",
                "process*",
                "terminal"
            ]
        );
    }

    #[test]
    fn an_inspection_as_last_step_bypasses_to_the_end() {
        let m = SopManual::sample();
        let steps: Vec<_> = m.steps.iter().filter(|s| s.kind != StepKind::Settlement).take(6).cloned().collect();
        assert_eq!(steps.last().unwrap().kind, StepKind::Inspection);
        let n = nodes(&steps, &m.flow, &|t| Value::from(t));
        assert_eq!(shapes(&n).last().unwrap(), "terminal*");
    }
}
