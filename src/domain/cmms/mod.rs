//! Maintenance (CMMS, the TrakNor part): assets, work orders with checklists, parts, labor and
//! evidence, preventive plans, and the spare-parts inventory. These services are the only
//! writers of their records; every write is attributed and audited by the storage layer.

pub mod assets;
pub mod evidence;
pub mod inventory;
pub mod kpi;
pub mod plans;
pub mod work_orders;
