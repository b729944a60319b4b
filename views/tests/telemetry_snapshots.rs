//! Layout snapshots of the Telemetry pane on ratatui's TestBackend: the device list, a device's
//! charts, alerts, rules, the rule form and the prompt, at 80x24 and 120x40, in both languages,
//! with colour off and ASCII glyphs.

use opsdeck_views::i18n::Locale;
use opsdeck_views::render;
use opsdeck_views::state::telemetry::{
    AlertRow, AlertState, DeviceDetail, DeviceRow, MetricSeries, RuleRow, TelemetryView, TimeWindow,
};
use opsdeck_views::state::{Form, FormField, Health, PaneId, Prompt, Shell};
use opsdeck_views::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

fn shell(locale: Locale) -> Shell {
    let mut s = Shell::new(locale, Theme::default());
    s.pane = PaneId::Telemetry;
    s.status.tenant = "hospital".into();
    s.status.tenant_display = "Hospital Santa Clara".into();
    s.status.user = "ana.souza".into();
    s.status.role = Some("supervisor".into());
    s.status.services = opsdeck_views::state::Runner::ThisConsole;
    s.status.clock = "23/11/2026 09:30 -03".into();
    let tel = &mut s.telemetry;
    tel.loaded = true;
    tel.open_alerts = 2;
    tel.ingest = match locale {
        Locale::PtBr => "ingest 127.0.0.1:8787 · 1.234 leituras/min · MQTT conectado".into(),
        Locale::En => "ingest 127.0.0.1:8787 · 1,234 readings/min · MQTT connected".into(),
    };
    tel.devices = devices();
    tel.alerts = alerts();
    tel.rules = rules();
    s
}

/// A wave over the hour, with a gap of `gap` minutes before `gap_at`.
fn spark(base: f64, amp: f64, gap_at: usize, gap: usize) -> Vec<Option<f64>> {
    (0..60)
        .map(|i| {
            (i < gap_at.saturating_sub(gap) || i >= gap_at)
                .then(|| base + amp * ((i as f64) / 6.0).sin())
        })
        .collect()
}

fn devices() -> Vec<DeviceRow> {
    vec![
        DeviceRow {
            id: "AHU-01".into(),
            name: "Fan coil bloco A".into(),
            confirmed: true,
            metric: "supply_temp_c".into(),
            value: Some(16.4),
            unit: "°C".into(),
            age: "12 s".into(),
            health: Health::Critical,
            spark: (0..60).map(|i| Some(11.0 + i as f64 / 10.0)).collect(),
        },
        DeviceRow {
            id: "AHU-02".into(),
            name: "Fan coil bloco B".into(),
            confirmed: true,
            metric: "supply_temp_c".into(),
            value: Some(12.4),
            unit: "°C".into(),
            age: "40 s".into(),
            health: Health::Warning,
            spark: spark(12.0, 0.8, 0, 0),
        },
        DeviceRow {
            id: "CH-01".into(),
            name: "Chiller central".into(),
            confirmed: true,
            metric: "power_kw".into(),
            value: Some(1234.5),
            unit: "kW".into(),
            age: "1 min".into(),
            health: Health::Ok,
            spark: spark(1200.0, 60.0, 40, 10),
        },
        DeviceRow {
            id: "PUMP-07".into(),
            name: String::new(),
            confirmed: true,
            metric: "pressure_bar".into(),
            value: Some(3.25),
            unit: "bar".into(),
            age: "2 h".into(),
            health: Health::Stale,
            spark: (0..60)
                .map(|i| (i < 20).then_some(3.0 + i as f64 / 40.0))
                .collect(),
        },
        DeviceRow {
            id: "TT-104".into(),
            name: String::new(),
            confirmed: false,
            metric: "temp_c".into(),
            value: Some(-0.5),
            unit: "°C".into(),
            age: "3 min".into(),
            health: Health::Ok,
            spark: (0..60).map(|i| (i >= 57).then_some(-0.5)).collect(),
        },
        DeviceRow {
            id: "GW-02".into(),
            name: "Gateway subsolo".into(),
            confirmed: true,
            metric: "rssi_dbm".into(),
            value: None,
            unit: String::new(),
            age: "—".into(),
            health: Health::Info,
            spark: vec![None; 60],
        },
    ]
}

fn alerts() -> Vec<AlertRow> {
    vec![
        AlertRow {
            id: 12,
            rule: "Insuflamento alto".into(),
            device: "AHU-01".into(),
            severity: "critical".into(),
            state: AlertState::Open,
            raised_at: "23/11/2026 09:12".into(),
            message: "supply_temp_c 16,4 °C acima de 14 há 5 min (limpa abaixo de 13,5)".into(),
            acked: None,
            resolved: None,
        },
        AlertRow {
            id: 11,
            rule: "Insuflamento alto".into(),
            device: "AHU-02".into(),
            severity: "warning".into(),
            state: AlertState::Acknowledged,
            raised_at: "23/11/2026 08:40".into(),
            message: "supply_temp_c 12,4 °C perto do limite".into(),
            acked: Some("ana · 23/11/2026 08:45".into()),
            resolved: None,
        },
        AlertRow {
            id: 9,
            rule: "Sem leituras".into(),
            device: "PUMP-07".into(),
            severity: "info".into(),
            state: AlertState::Resolved,
            raised_at: "22/11/2026 22:10".into(),
            message: "nenhuma leitura há 15 min".into(),
            acked: Some("fabio · 22/11/2026 22:15".into()),
            resolved: Some(
                "fabio · 22/11/2026 23:02 · bomba religada após queda de energia".into(),
            ),
        },
    ]
}

fn rules() -> Vec<RuleRow> {
    vec![
        RuleRow {
            name: "Insuflamento alto".into(),
            devices: "AHU-*".into(),
            severity: "critical".into(),
            describe: "supply_temp_c above 14 for 5 min (clears 0.5 below)".into(),
            enabled: true,
            firing: 2,
        },
        RuleRow {
            name: "Pressão fora da faixa".into(),
            devices: "PUMP-*".into(),
            severity: "warning".into(),
            describe: "pressure_bar outside 2.5..4.5 for 1 min (clears 0.1 inside)".into(),
            enabled: true,
            firing: 0,
        },
        RuleRow {
            name: "Sem leituras".into(),
            devices: "*".into(),
            severity: "info".into(),
            describe: "no reading for 15 min".into(),
            enabled: false,
            firing: 0,
        },
    ]
}

fn series(metric: &str, unit: &str, base: f64, amp: f64, n: usize) -> MetricSeries {
    let points: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let x = i as f64 * 86_400.0 / n as f64;
            (
                x,
                base + amp * (i as f64 / 8.0).sin() + i as f64 * amp / n as f64,
            )
        })
        .collect();
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let min = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    MetricSeries {
        metric: metric.into(),
        unit: unit.into(),
        avg: Some(ys.iter().sum::<f64>() / ys.len() as f64),
        min: Some(min),
        max: Some(max),
        last: ys.last().copied(),
        points,
    }
}

fn detail() -> DeviceDetail {
    DeviceDetail {
        id: "AHU-01".into(),
        name: "Fan coil bloco A".into(),
        asset: "HVAC-BLA-01".into(),
        confirmed: true,
        window: TimeWindow::Day,
        window_secs: 86_400.0,
        from_label: "2026-11-22 09:30".into(),
        to_label: "2026-11-23 09:30".into(),
        series: vec![
            series("supply_temp_c", "°C", 12.5, 2.0, 96),
            series("return_temp_c", "°C", 22.0, 1.0, 96),
            series("fan_speed_pct", "%", 70.0, 15.0, 96),
        ],
        metric: 0,
        rules: vec![rules()[0].clone(), rules()[2].clone()],
        loading: false,
    }
}

fn draw(shell: &Shell, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, shell)).unwrap();
    t
}

fn assert_no_colour(t: &Terminal<TestBackend>) {
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, Color::Reset, "colour at {:?}", c.symbol());
        assert_eq!(c.bg, Color::Reset, "colour at {:?}", c.symbol());
    }
}

fn assert_ascii(t: &Terminal<TestBackend>, allowed: &str) {
    for c in t.backend().buffer().content() {
        assert!(
            c.symbol().is_ascii() || c.symbol().chars().all(|ch| allowed.contains(ch)),
            "non-ASCII glyph {:?}",
            c.symbol()
        );
    }
}

#[test]
fn device_list_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.telemetry.device_list.selected = 1;
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    // the selected row is reversed, so it shows without colour
    let buf = t.backend().buffer();
    let row = (0..24)
        .find(|y| {
            (0..80)
                .map(|x| buf[(x, *y)].symbol())
                .collect::<String>()
                .contains("AHU-02")
        })
        .expect("AHU-02 row");
    assert!(buf[(5, row)].modifier.contains(Modifier::REVERSED));
    // critical is red and bold, and has its glyph and word too
    let crit = buf
        .content()
        .iter()
        .find(|c| c.symbol() == "✗")
        .expect("critical glyph");
    assert_eq!(crit.fg, Color::Red);
    assert!(crit.modifier.contains(Modifier::BOLD));
}

#[test]
fn device_list_at_120x40_in_english() {
    let s = shell(Locale::En);
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

#[test]
fn device_list_filtered_while_typing() {
    let mut s = shell(Locale::PtBr);
    s.filtering = true;
    s.telemetry.device_list.filter = "ahu".into();
    let v = s.telemetry.visible_devices();
    assert_eq!(v.len(), 2);
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn device_list_empty_and_loading() {
    let mut s = shell(Locale::PtBr);
    s.telemetry.devices.clear();
    s.telemetry.ingest.clear();
    insta::assert_snapshot!("device_list_empty", draw(&s, 80, 24).backend());
    s.telemetry.loaded = false;
    s.locale = Locale::En;
    insta::assert_snapshot!("device_list_loading", draw(&s, 80, 24).backend());
}

#[test]
fn device_list_no_color_ascii() {
    let mut s = shell(Locale::PtBr);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    let t = draw(&s, 80, 24);
    assert_no_colour(&t);
    // pt-BR text keeps its accents and the "·"/"—"/"…" punctuation; glyphs are ASCII
    assert_ascii(&t, "áâãçéêíóôõúÁÉÍÓÚ·—…°");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn device_detail_with_charts_at_120x40_in_english() {
    let mut s = shell(Locale::En);
    s.telemetry.view = TelemetryView::Device;
    s.telemetry.detail = Some(detail());
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    // one chart per metric at this height
    for m in [
        "supply_temp_c (°C)",
        "return_temp_c (°C)",
        "fan_speed_pct (%)",
    ] {
        assert!(text.contains(m), "{m}");
    }
    assert!(
        text.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "braille line"
    );
}

#[test]
fn device_detail_at_80x24_single_chart() {
    let mut s = shell(Locale::PtBr);
    s.telemetry.view = TelemetryView::Device;
    let mut d = detail();
    d.metric = 1;
    d.from_label = "22/11 09:30".into();
    d.to_label = "23/11 09:30".into();
    d.loading = true;
    s.telemetry.detail = Some(d);
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn device_detail_ascii_no_color() {
    let mut s = shell(Locale::En);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    s.telemetry.view = TelemetryView::Device;
    let mut d = detail();
    d.series[2].points.clear();
    d.series[2].min = None;
    d.series[2].avg = None;
    d.series[2].max = None;
    d.series[2].last = None;
    s.telemetry.detail = Some(d);
    let t = draw(&s, 100, 40);
    assert_no_colour(&t);
    assert_ascii(&t, "·—…°");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn alerts_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.telemetry.view = TelemetryView::Alerts;
    s.telemetry.alert_list.selected = 2;
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn alerts_at_120x40_in_english() {
    let mut s = shell(Locale::En);
    s.telemetry.view = TelemetryView::Alerts;
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

#[test]
fn rules_view_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.telemetry.view = TelemetryView::Rules;
    s.telemetry.rule_list.selected = 1;
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn rules_view_empty_in_english() {
    let mut s = shell(Locale::En);
    s.telemetry.view = TelemetryView::Rules;
    s.telemetry.rules.clear();
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

fn field(key: &'static str, label: &str, value: &str, choices: &[&str]) -> FormField {
    FormField {
        key,
        label: label.into(),
        value: value.into(),
        choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        error: None,
    }
}

fn form() -> Form {
    let mut fields = vec![
        field("name", "Nome", "Insuflamento alto", &[]),
        field("devices", "Dispositivos", "AHU-*", &[]),
        field(
            "kind",
            "Tipo",
            "limite",
            &["limite", "faixa", "variação", "sem leituras"],
        ),
        field("metric", "Métrica", "supply_temp_c", &[]),
        field("direction", "Direção", "acima", &["acima", "abaixo"]),
        field("limit", "Limite", "14,x", &[]),
        field("for_secs", "Por (s)", "300", &[]),
        field("hysteresis", "Histerese", "0,5", &[]),
        field(
            "severity",
            "Severidade",
            "crítico",
            &["info", "aviso", "crítico"],
        ),
        field("enabled", "Ativa", "sim", &["sim", "não"]),
        field("note", "Nota", "", &[]),
    ];
    fields[5].error = Some("não é um número: 14,x".into());
    Form {
        title: "Editar regra Insuflamento alto".into(),
        fields,
        focused: 5,
        message: Some("Outra pessoa alterou esta regra: salvar sobrescreve a versão dela".into()),
        confirm_discard: false,
    }
}

#[test]
fn rule_form_with_an_inline_error_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.telemetry.view = TelemetryView::Rules;
    s.telemetry.form = Some(form());
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn rule_form_asks_before_discarding_ascii() {
    let mut s = shell(Locale::PtBr);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    s.telemetry.view = TelemetryView::Rules;
    let mut f = form();
    f.message = None;
    f.focused = 2;
    f.fields[5].error =
        Some("um número é necessário aqui, por exemplo 14 ou 14,5 (vírgula decimal)".into());
    f.confirm_discard = true;
    s.telemetry.form = Some(f);
    let t = draw(&s, 80, 24);
    assert_no_colour(&t);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn resolve_prompt_over_alerts() {
    let mut s = shell(Locale::En);
    s.telemetry.view = TelemetryView::Alerts;
    s.telemetry.prompt = Some(Prompt {
        title: "Resolve alert #12: note".into(),
        input: "reset the damper".into(),
        error: Some("a note is required".into()),
    });
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}
