//! Cost centers (a tree: site / area / unit / fleet) and categories. Every tenant has the
//! built-in categories; finance adds its own.

use anyhow::Result;
use opsdeck_storage::records::ledger::{Category, CostCenter, StandardCost};
use opsdeck_storage::records::work_order::Procedure;
use opsdeck_storage::{Tenant, Tx, Versioned, why};

use super::LedgerAction;
use crate::domain::service::{FieldError, Step, require, write_checked};

/// (code, name in Portuguese) of the categories every tenant has.
pub const BUILTIN: [(&str, &str); 7] = [
    ("labor", "Mão de obra"),
    ("parts", "Peças e materiais"),
    ("services", "Serviços contratados"),
    ("energy", "Energia elétrica"),
    ("gas", "Gás natural"),
    ("fuel", "Combustível"),
    ("other", "Outros"),
];

pub(crate) fn all_in(tx: &Tx) -> opsdeck_storage::Result<Vec<CostCenter>> {
    Ok(tx
        .list::<CostCenter>()?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

/// Writes the built-in categories that are missing (idempotent).
pub fn ensure_builtin(tx: &mut Tx) -> opsdeck_storage::Result<usize> {
    let mut n = 0;
    for (code, name) in BUILTIN {
        if tx.get::<Category>(code)?.is_none() {
            tx.insert(
                code,
                Category {
                    code: code.into(),
                    name: name.into(),
                    builtin: true,
                },
            )?;
            n += 1;
        }
    }
    Ok(n)
}

fn check_code(field: &str, code: &str) -> Option<FieldError> {
    if code.is_empty() {
        return Some(FieldError::new(field, why!(IsRequired)));
    }
    if code.len() > 24 {
        return Some(FieldError::new(field, why!(ValueTooLong, code, 24)));
    }
    (!code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| FieldError::new(field, why!(CodeBad, code)))
}

/// Creates or replaces a cost center (finance or admin). Refuses a parent that does not exist
/// or that would make a loop.
pub fn set_cost_center(
    tenant: &Tenant,
    user: &str,
    cc: CostCenter,
) -> Result<Versioned<CostCenter>> {
    require(tenant, user, LedgerAction::Configure)?;
    if let Some(e) = check_code("code", &cc.code) {
        return Err(e.into());
    }
    if cc.name.trim().is_empty() {
        return Err(FieldError::new("name", why!(IsRequired)).into());
    }
    write_checked(tenant, user, |tx| {
        if let Some(parent) = &cc.parent {
            let centers = all_in(tx)?;
            let mut at = Some(parent.clone());
            let mut steps = 0;
            while let Some(p) = at {
                if p == cc.code {
                    return Ok(Step::Refuse(FieldError::new(
                        "parent",
                        why!(ParentLoop, cc.code, parent),
                    )));
                }
                let Some(found) = centers.iter().find(|c| c.code == p) else {
                    return Ok(Step::Refuse(no_cost_center(&centers, &p, "parent")));
                };
                at = found.parent.clone();
                steps += 1;
                if steps > centers.len() {
                    break;
                }
            }
        }
        let code = cc.code.clone();
        Ok(Step::Write(match tx.get::<CostCenter>(&code)? {
            Some(cur) if cur.value == cc => cur,
            Some(cur) => tx.update(&code, cur.version, cc)?,
            None => tx.insert(&code, cc)?,
        }))
    })
}

pub(crate) fn no_cost_center(centers: &[CostCenter], code: &str, field: &str) -> FieldError {
    let known: Vec<&str> = centers.iter().map(|c| c.code.as_str()).collect();
    FieldError::new(field, why!(NoCostCenter, code, known.join(", ")))
}

pub(crate) fn no_category(cats: &[Versioned<Category>], code: &str, field: &str) -> FieldError {
    let known: Vec<&str> = cats.iter().map(|c| c.key.as_str()).collect();
    FieldError::new(field, why!(NoCategory, code, known.join(", ")))
}

/// Adds a category of the tenant's own (finance or admin).
pub fn add_category(
    tenant: &Tenant,
    user: &str,
    code: &str,
    name: &str,
) -> Result<Versioned<Category>> {
    require(tenant, user, LedgerAction::Configure)?;
    if let Some(e) = check_code("code", code) {
        return Err(e.into());
    }
    if name.trim().is_empty() {
        return Err(FieldError::new("name", why!(IsRequired)).into());
    }
    write_checked(tenant, user, |tx| {
        ensure_builtin(tx)?;
        if let Some(cur) = tx.get::<Category>(code)? {
            return Ok(Step::Keep(cur));
        }
        Ok(Step::Write(tx.insert(
            code,
            Category {
                code: code.into(),
                name: name.trim().into(),
                builtin: false,
            },
        )?))
    })
}

/// Sets (or clears, with None) a procedure's standard cost (finance or admin): orders made
/// with the procedure from now on get it as their estimate.
pub fn set_standard_cost(
    tenant: &Tenant,
    user: &str,
    procedure: &str,
    amount: Option<rust_decimal::Decimal>,
    note: &str,
) -> Result<Option<Versioned<StandardCost>>> {
    require(tenant, user, LedgerAction::Configure)?;
    if let Some(e) = amount.and_then(|a| crate::domain::service::check_positive("amount", a)) {
        return Err(e.into());
    }
    write_checked(tenant, user, |tx| {
        if tx.get::<Procedure>(procedure)?.is_none() {
            let known: Vec<String> = tx.list::<Procedure>()?.into_iter().map(|p| p.key).collect();
            return Ok(Step::Refuse(FieldError::new(
                "procedure",
                why!(UnknownValue, "procedure", procedure, known.join(", ")),
            )));
        }
        let cur = tx.get::<StandardCost>(procedure)?;
        Ok(match (amount, cur) {
            (None, None) => Step::Keep(None),
            (None, Some(c)) => {
                tx.delete::<StandardCost>(procedure, c.version)?;
                Step::Write(None)
            }
            (Some(a), cur) => {
                let value = StandardCost {
                    procedure: procedure.to_owned(),
                    amount: a,
                    note: note.trim().to_owned(),
                };
                Step::Write(Some(match cur {
                    Some(c) => tx.update(procedure, c.version, value)?,
                    None => tx.insert(procedure, value)?,
                }))
            }
        })
    })
}

/// The categories, the built-in ones first in their usual order, then the tenant's own.
pub fn categories(tenant: &Tenant) -> Result<Vec<Category>> {
    let mut all: Vec<Category> = tenant
        .list::<Category>()?
        .into_iter()
        .map(|v| v.value)
        .collect();
    if all.is_empty() {
        all = BUILTIN
            .iter()
            .map(|(c, n)| Category {
                code: (*c).into(),
                name: (*n).into(),
                builtin: true,
            })
            .collect();
    }
    let rank = |c: &Category| {
        BUILTIN
            .iter()
            .position(|(b, _)| *b == c.code)
            .unwrap_or(BUILTIN.len())
    };
    all.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.code.cmp(&b.code)));
    Ok(all)
}

/// The cost centers in tree order (each parent before its children, siblings by code), with
/// their depth.
pub fn tree(tenant: &Tenant) -> Result<Vec<(CostCenter, usize)>> {
    let centers: Vec<CostCenter> = tenant
        .list::<CostCenter>()?
        .into_iter()
        .map(|v| v.value)
        .collect();
    Ok(in_tree_order(centers))
}

pub fn in_tree_order(centers: Vec<CostCenter>) -> Vec<(CostCenter, usize)> {
    let known: std::collections::BTreeSet<String> =
        centers.iter().map(|c| c.code.clone()).collect();
    let mut out = Vec::with_capacity(centers.len());
    fn walk(
        all: &[CostCenter],
        parent: Option<&str>,
        depth: usize,
        known: &std::collections::BTreeSet<String>,
        out: &mut Vec<(CostCenter, usize)>,
    ) {
        for c in all.iter().filter(|c| {
            let p = c.parent.as_deref().filter(|p| known.contains(*p));
            p == parent
        }) {
            if out.iter().any(|(o, _)| o.code == c.code) || depth > 16 {
                continue;
            }
            out.push((c.clone(), depth));
            walk(all, Some(&c.code), depth + 1, known, out);
        }
    }
    walk(&centers, None, 0, &known, &mut out);
    out
}
