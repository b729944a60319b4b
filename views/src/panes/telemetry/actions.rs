//! What the Telemetry pane's own keys ask for, with the names keymap.toml and the palette use
//! and what help says of each.

use serde::{Deserialize, Serialize};

use crate::named::Named;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TmAct {
    Devices,
    Alerts,
    Rules,
    NextView,
    Window,
    Metric,
    Ack,
    Resolve,
    ToggleRule,
    DeleteRule,
    /// Open a predictive work order from the selected alert.
    WorkOrder,
}

pub const ACTIONS: &[Named<TmAct>] = &[
    Named {
        name: "telemetry.devices",
        act: TmAct::Devices,
        en: "Telemetry: device list",
        pt: "Telemetria: lista de dispositivos",
    },
    Named {
        name: "telemetry.alerts",
        act: TmAct::Alerts,
        en: "Telemetry: alerts",
        pt: "Telemetria: alertas",
    },
    Named {
        name: "telemetry.rules",
        act: TmAct::Rules,
        en: "Telemetry: alert rules",
        pt: "Telemetria: regras de alerta",
    },
    Named {
        name: "telemetry.view",
        act: TmAct::NextView,
        en: "Telemetry: next view (devices, alerts, rules)",
        pt: "Telemetria: próxima vista (dispositivos, alertas, regras)",
    },
    Named {
        name: "telemetry.window",
        act: TmAct::Window,
        en: "Chart time window: 1 h, 24 h, 7 d, 30 d",
        pt: "Janela do gráfico: 1 h, 24 h, 7 d, 30 d",
    },
    Named {
        name: "telemetry.metric",
        act: TmAct::Metric,
        en: "Next metric",
        pt: "Próxima métrica",
    },
    Named {
        name: "alert.ack",
        act: TmAct::Ack,
        en: "Acknowledge the selected alert",
        pt: "Reconhecer o alerta selecionado",
    },
    Named {
        name: "alert.resolve",
        act: TmAct::Resolve,
        en: "Resolve the selected alert with a note",
        pt: "Resolver o alerta selecionado com uma nota",
    },
    Named {
        name: "rule.toggle",
        act: TmAct::ToggleRule,
        en: "Enable or disable the selected rule",
        pt: "Ativar ou desativar a regra selecionada",
    },
    Named {
        name: "rule.delete",
        act: TmAct::DeleteRule,
        en: "Delete the selected rule (asks first)",
        pt: "Apagar a regra selecionada (pergunta antes)",
    },
    Named {
        name: "alert.work_order",
        act: TmAct::WorkOrder,
        en: "Open a predictive work order from the selected alert",
        pt: "Abrir uma OS preditiva a partir do alerta selecionado",
    },
];
