//! Layout snapshots of the Work-orders pane on ratatui's TestBackend: the order list with its
//! KPI strip, an order's page (checklist, costs, evidence, history) with a form and a prompt over
//! it, assets grouped by site and area, an asset's page and its QR code, plans, inventory and the
//! KPI page; at 80x24 up to 160x50, in both languages, with colour off and ASCII glyphs. The
//! data is a hospital's HVAC plant (chillers, air handlers, the vaccine cold room).

use opsdeck_views::i18n::Locale;
use opsdeck_views::render;
use opsdeck_views::state::wo::{
    AssetDetail, AssetRow, CheckRow, CostRow, EvidenceRow, ItemRow, KpiRow, Kpis, LogRow, MoveRow,
    OrderDetail, OrderFilter, OrderRow, PlanRow, SensorRow, StatusFilter, WoPane, WoRights, WoView,
};
use opsdeck_views::state::{Form, FormField, ListView, PaneId, Prompt, Shell};
use opsdeck_views::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

const ALL_RIGHTS: WoRights = WoRights {
    create: true,
    manage: true,
    work: true,
    stock: true,
};

const ASCII: Theme = Theme {
    color: false,
    ascii: true,
};

fn st(v: &str) -> String {
    v.to_owned()
}

fn shell(locale: Locale) -> Shell {
    let mut sh = Shell::new(locale, Theme::default());
    sh.pane = PaneId::WorkOrders;
    sh.status.tenant = st("hospital");
    sh.status.tenant_display = st("Hospital Santa Clara");
    sh.status.user = st("ana.souza");
    sh.status.role = Some(st("supervisor"));
    sh.status.services = opsdeck_views::state::Runner::ThisConsole;
    sh.status.clock = st("25/11/2026 10:05 -03");
    sh.wo = WoPane {
        orders: orders(),
        kpis: kpis(locale),
        assets: assets(),
        plans: plans(),
        items: items(),
        rights: ALL_RIGHTS,
        loaded: true,
        ..WoPane::default()
    };
    sh
}

fn draw(shell: &Shell, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(f, shell)).expect("draw");
    t
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_no_colour(t: &Terminal<TestBackend>) {
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, Color::Reset, "colour at {:?}", c.symbol());
        assert_eq!(c.bg, Color::Reset, "colour at {:?}", c.symbol());
    }
}

/// Only ASCII, bar the Portuguese letters of the data and the words.
fn assert_ascii(t: &Terminal<TestBackend>) {
    let allowed = "áâãàéêíóôõúçÁÉÍÓÚÇ°×·—…";
    for c in t.backend().buffer().content() {
        assert!(
            c.symbol().is_ascii() || c.symbol().chars().all(|ch| allowed.contains(ch)),
            "non-ASCII glyph {:?}",
            c.symbol()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Data

#[allow(clippy::too_many_arguments)]
fn order(
    id: u64,
    priority: &str,
    kind: &str,
    status: &str,
    asset: &str,
    title: &str,
    assignee: &str,
    due: &str,
    overdue: bool,
    checklist: (usize, usize),
    cost: &str,
) -> OrderRow {
    OrderRow {
        id,
        title: st(title),
        kind: st(kind),
        priority: st(priority),
        status: st(status),
        asset: st(asset),
        assignee: st(assignee),
        due: st(due),
        overdue,
        cost: st(cost),
        when: st("18/11/2026 06:00"),
        from_alert: false,
        checklist,
    }
}

fn orders() -> Vec<OrderRow> {
    let mut v = vec![
        order(
            1287,
            "urgent",
            "corrective",
            "in_progress",
            "CAG-CH-02",
            "Chiller 02 desarmando por alta pressão de condensação",
            "lucas.martins",
            "24/11/2026",
            true,
            (0, 0),
            "R$ 1.234,56",
        ),
        order(
            1291,
            "urgent",
            "predictive",
            "open",
            "CR-03",
            "Câmara fria vacinas acima de 8 °C",
            "",
            "25/11/2026",
            false,
            (0, 0),
            "",
        ),
        order(
            1275,
            "high",
            "preventive",
            "in_progress",
            "AHU-01",
            "PMOC mensal — troca de filtros do fan coil da UTI",
            "bruno.lima",
            "20/11/2026",
            true,
            (6, 10),
            "R$ 713,10",
        ),
        order(
            1280,
            "high",
            "predictive",
            "on_hold",
            "CAG-BAG-01",
            "Vibração alta no mancal da bomba primária 1",
            "lucas.martins",
            "28/11/2026",
            false,
            (0, 0),
            "R$ 96,00",
        ),
        order(
            1270,
            "medium",
            "corrective",
            "in_progress",
            "UTA-CC-01",
            "Dampers do centro cirúrgico sem atuar",
            "carla.souza",
            "22/11/2026",
            true,
            (0, 0),
            "R$ 2.980,00",
        ),
        order(
            1264,
            "medium",
            "preventive",
            "open",
            "FC-QTO-101",
            "PMOC mensal — fan coil quarto 101",
            "bruno.lima",
            "30/11/2026",
            false,
            (0, 8),
            "",
        ),
        order(
            1265,
            "medium",
            "preventive",
            "open",
            "FC-QTO-102",
            "PMOC mensal — fan coil quarto 102",
            "bruno.lima",
            "30/11/2026",
            false,
            (3, 8),
            "",
        ),
        order(
            1283,
            "low",
            "request",
            "open",
            "SPL-ADM-01",
            "Split da administração pingando na mesa da recepção",
            "",
            "",
            false,
            (0, 0),
            "",
        ),
        order(
            1250,
            "medium",
            "preventive",
            "done",
            "CAG-CH-01",
            "Chiller 1 — inspeção trimestral",
            "lucas.martins",
            "15/11/2026",
            false,
            (12, 12),
            "R$ 640,00",
        ),
        order(
            1244,
            "high",
            "corrective",
            "cancelled",
            "UTA-PS-01",
            "Ruído na UTA do pronto-socorro (duplicada da #1241)",
            "carla.souza",
            "10/11/2026",
            false,
            (0, 0),
            "",
        ),
    ];
    v[0].from_alert = true;
    v[1].from_alert = true;
    v
}

fn kpis(locale: Locale) -> Kpis {
    let row =
        |asset: &str, name: &str, failures, mttr: &str, mtbf: &str, down: &str, cost: &str| {
            KpiRow {
                asset: st(asset),
                name: st(name),
                failures,
                mttr: st(mttr),
                mtbf: st(mtbf),
                downtime: st(down),
                cost_month: st(cost),
            }
        };
    Kpis {
        backlog: 23,
        overdue: 4,
        month: st(match locale {
            Locale::PtBr => "novembro de 2026",
            Locale::En => "November 2026",
        }),
        pm_done: 17,
        pm_due: 20,
        pm_percent: Some(85),
        cost_month: st("R$ 18.432,70"),
        window: st("90 d"),
        rows: vec![
            row(
                "CAG-CH-02",
                "Chiller 02",
                3,
                "6 h 27 min",
                "29 d 4 h",
                "19 h 21 min",
                "R$ 4.870,20",
            ),
            row(
                "CR-03",
                "Câmara fria vacinas",
                2,
                "2 h 10 min",
                "41 d 2 h",
                "4 h 20 min",
                "R$ 612,00",
            ),
            row(
                "CAG-BAG-01",
                "Bomba de água gelada primária 1",
                1,
                "3 h 05 min",
                "—",
                "3 h 05 min",
                "",
            ),
            row(
                "AHU-01",
                "Fan coil UTI",
                1,
                "1 h 45 min",
                "—",
                "1 h 45 min",
                "R$ 713,10",
            ),
            row(
                "UTA-CC-01",
                "UTA 3 — Centro cirúrgico — salas 1 e 2",
                0,
                "—",
                "—",
                "",
                "R$ 2.980,00",
            ),
        ],
        below_min: 5,
        list: ListView::default(),
    }
}

fn check(
    n: usize,
    text: &str,
    required: bool,
    unit: Option<&str>,
    result: Option<&str>,
    note: &str,
) -> CheckRow {
    CheckRow {
        n,
        text: st(text),
        required,
        unit: unit.map(st),
        result: result.map(st),
        note: st(note),
        by: if result.is_some() {
            st("bruno.lima · 25/11 08:40")
        } else {
            String::new()
        },
    }
}

fn cost(what: &str, detail: &str, amount: &str) -> CostRow {
    CostRow {
        what: st(what),
        detail: st(detail),
        amount: st(amount),
    }
}

fn log(at: &str, by: &str, text: &str, change: Option<(&str, &str)>) -> LogRow {
    LogRow {
        at: st(at),
        by: st(by),
        text: st(text),
        change: change.map(|(a, b)| (st(a), st(b))),
    }
}

/// The monthly filter change of the ICU air handler, halfway: six of ten items answered, parts,
/// labor and a service booked, two files attached, a short stop of the unit.
fn order_detail() -> OrderDetail {
    let row = orders().remove(2);
    OrderDetail {
        row,
        description: st(
            "Troca mensal dos filtros conforme PMOC. Combinar o horário com a \
            enfermagem da UTI: desligar a unidade por no máximo 1 h.",
        ),
        asset_label: st("AHU-01 · Fan coil UTI (UTI adulto, 3º andar)"),
        created: st("plano · 18/11/2026 06:00"),
        alert: None,
        plan: Some(st("PM-UTA-FILTRO-M/2026-11-20")),
        procedure: Some(st("PMOC-UTA-FILTRO · UTA — troca mensal de filtros")),
        checklist: vec![
            check(
                1,
                "Perda de carga dos filtros antes da troca",
                true,
                Some("Pa"),
                Some("182"),
                "",
            ),
            check(2, "Troca dos pré-filtros G4", true, None, Some("pass"), ""),
            check(
                3,
                "Troca ou inspeção dos filtros finos F8 (trocar acima de 250 Pa)",
                true,
                None,
                Some("pass"),
                "F8 trocado: 265 Pa",
            ),
            check(
                4,
                "Perda de carga dos filtros HEPA H13 (UTI e centro cirúrgico)",
                false,
                Some("Pa"),
                Some("na"),
                "",
            ),
            check(
                5,
                "Vedação das molduras e portas de inspeção (sem by-pass de ar)",
                true,
                None,
                Some("fail"),
                "porta de inspeção 2 com borracha ressecada: pedir peça",
            ),
            check(
                6,
                "Perda de carga dos filtros após a troca",
                true,
                Some("Pa"),
                Some("96"),
                "",
            ),
            check(
                7,
                "Limpeza da bandeja de condensado e verificação do sifão",
                true,
                None,
                None,
                "",
            ),
            check(
                8,
                "Tensão e estado das correias do ventilador",
                false,
                None,
                None,
                "",
            ),
            check(
                9,
                "Temperatura do ar de insuflamento",
                true,
                Some("°C"),
                None,
                "",
            ),
            check(
                10,
                "Filtros usados ensacados e descartados como resíduo de serviço de saúde",
                true,
                None,
                None,
                "",
            ),
        ],
        parts: vec![
            cost(
                "FILT-G4-592 Filtro G4 592x592",
                "4 un × R$ 48,90",
                "R$ 195,60",
            ),
            cost(
                "FLT-F8-592-592 Filtro bolsa F8 592×592×600 mm (8 bolsas)",
                "1 un × R$ 265,00",
                "R$ 265,00",
            ),
        ],
        labor: vec![
            cost("bruno.lima", "1,5 h × R$ 80,00", "R$ 120,00"),
            cost("lucas.martins", "0,5 h × R$ 95,00", "R$ 47,50"),
        ],
        services: vec![cost(
            "Coleta de resíduo de serviço de saúde (RSS)",
            "",
            "R$ 85,00",
        )],
        cost_parts: st("R$ 460,60"),
        cost_labor: st("R$ 167,50"),
        cost_services: st("R$ 85,00"),
        cost_total: st("R$ 713,10"),
        estimate: String::new(),
        evidence: vec![
            EvidenceRow {
                name: st("filtros-antes.jpg"),
                size: st("1,8 MiB"),
                sha256: st("3f2a9c0d1e4b7a6158c2d9e0f4b3a2918d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f"),
                by: st("bruno.lima · 25/11/2026 08:12"),
            },
            EvidenceRow {
                name: st("planilha-perda-de-carga.pdf"),
                size: st("212,4 KiB"),
                sha256: st("a91b0c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeef"),
                by: st("bruno.lima · 25/11/2026 09:05"),
            },
        ],
        notes: vec![log(
            "25/11/2026 08:05",
            "bruno.lima",
            "UTA desligada com a enfermagem avisada; sala 3 sem paciente até as 10 h.",
            None,
        )],
        downtime: vec![st("25/11 08:10 → 25/11 09:02 (52 min)")],
        down_now: false,
        history: vec![
            log(
                "18/11/2026 06:00",
                "plano",
                "criada pelo plano PM-UTA-FILTRO-M",
                None,
            ),
            log(
                "21/11/2026 14:30",
                "bruno.lima",
                "aguardando filtros F8 do almoxarifado",
                Some(("open", "on_hold")),
            ),
            log(
                "25/11/2026 08:02",
                "bruno.lima",
                "on_hold → in_progress",
                Some(("on_hold", "in_progress")),
            ),
        ],
        moves: vec![st("on_hold"), st("done"), st("cancelled")],
        list: ListView {
            selected: 4,
            filter: String::new(),
        },
        scroll: 0,
    }
}

#[allow(clippy::too_many_arguments)]
fn asset(
    tag: &str,
    name: &str,
    kind: &str,
    site: &str,
    area: &str,
    crit: &str,
    open_orders: usize,
    sensors: usize,
) -> AssetRow {
    AssetRow {
        tag: st(tag),
        name: st(name),
        kind: st(kind),
        site: st(site),
        area: st(area),
        criticality: st(crit),
        open_orders,
        sensors,
        down: false,
        active: true,
    }
}

fn assets() -> Vec<AssetRow> {
    const H: &str = "Hospital Santa Clara";
    const A: &str = "Anexo ambulatorial";
    let mut v = vec![
        asset(
            "CAG-CH-01",
            "Chiller 1 — Central de água gelada",
            "chiller",
            H,
            "Casa de máquinas",
            "critical",
            0,
            1,
        ),
        asset(
            "CAG-CH-02",
            "Chiller 02",
            "chiller",
            H,
            "Casa de máquinas",
            "critical",
            2,
            1,
        ),
        asset(
            "CAG-CH-03",
            "Chiller 3 — rodízio",
            "chiller",
            H,
            "Casa de máquinas",
            "critical",
            0,
            1,
        ),
        asset(
            "CAG-BAG-01",
            "Bomba de água gelada primária 1",
            "pump",
            H,
            "Casa de máquinas",
            "high",
            1,
            0,
        ),
        asset(
            "CAG-EXA-01",
            "Exaustor da casa de máquinas",
            "exhaust_fan",
            H,
            "Casa de máquinas",
            "medium",
            0,
            0,
        ),
        asset(
            "CR-03",
            "Câmara fria vacinas",
            "cold_room",
            H,
            "Farmácia",
            "critical",
            1,
            2,
        ),
        asset(
            "CR-04",
            "Câmara fria hemoderivados",
            "cold_room",
            H,
            "Farmácia",
            "critical",
            0,
            1,
        ),
        asset("AHU-01", "Fan coil UTI", "ahu", H, "UTI", "critical", 1, 1),
        asset(
            "UTA-UTIN-01",
            "UTA 2 — UTI neonatal",
            "ahu",
            H,
            "UTI",
            "critical",
            0,
            1,
        ),
        asset(
            "UTA-CC-01",
            "UTA 3 — Centro cirúrgico — salas 1 e 2",
            "ahu",
            H,
            "Centro cirúrgico",
            "critical",
            1,
            1,
        ),
        asset(
            "FC-QTO-101",
            "Fan coil — Quarto 101",
            "fan_coil",
            H,
            "Internação",
            "low",
            1,
            1,
        ),
        asset(
            "FC-QTO-102",
            "Fan coil — Quarto 102",
            "fan_coil",
            H,
            "Internação",
            "low",
            1,
            1,
        ),
        asset(
            "FC-QTO-103",
            "Fan coil — Quarto 103 (desativado)",
            "fan_coil",
            H,
            "Internação",
            "low",
            0,
            0,
        ),
        asset(
            "SPL-ADM-01",
            "Split da administração",
            "split",
            A,
            "Administração",
            "medium",
            1,
            0,
        ),
        asset(
            "SPL-CONS-02",
            "Split consultório 2",
            "split",
            A,
            "Consultórios",
            "low",
            0,
            0,
        ),
    ];
    v[1].down = true;
    v[12].active = false;
    v
}

fn qr() -> Vec<String> {
    [
        "█████████████████████████████████████",
        "█████████████████████████████████████",
        "████ ▄▄▄▄▄ █  █▄██▀ ▄▀▄▄▀█ ▄▄▄▄▄ ████",
        "████ █   █ █▀▄ ▀▄▄▄▄▀██▄ █ █   █ ████",
        "████ █▄▄▄█ ██  █▄▄▀██   ▀█ █▄▄▄█ ████",
        "████▄▄▄▄▄▄▄█ ▀▄▀▄▀ █▄█ █▄█▄▄▄▄▄▄▄████",
        "████▄█ ▄█▄▄▄█▄▀▄█▄▄▀ ▀  ▀▀ ▀▀ █  ████",
        "████▄▄█▄▄█▄▀ ▄▄▄▀▀  █▄███▀ ▄██▄ █████",
        "█████  ▀▀█▄▄▄▄█▀ ▀██▄▄ ▀▄▀▀▄█▀  ▀████",
        "█████▄▄▄█▀▄▄▄▄█ ▄▀▄▀█▄▀ ▄ ▄▄ ▀█ ▄████",
        "██████  ▄ ▄▀█ █▀█▀███  █▀▄█▀▄▀█▀█████",
        "████▄█ ▀█▀▄ ▀▄▄▀▄██▀▀▀▀█  █▄▀  ▀▀████",
        "█████▄█▄██▄▄ ▄▀█▀ ▀ ▄█▀▄ ▄▄▄ ▄  ▀████",
        "████ ▄▄▄▄▄ █   ▄▄▄██▀  ▄ █▄█  █▄█████",
        "████ █   █ █▀█▄██▀  █▀ █▄ ▄  ▄▄▀█████",
        "████ █▄▄▄█ █▄▀█ ▀▀▀▀▄▄█  █▀▄▀ ▄▀▄████",
        "████▄▄▄▄▄▄▄█▄█▄▄█▄███▄██▄██▄▄██▄█████",
        "█████████████████████████████████████",
        "▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀",
    ]
    .iter()
    .map(|l| (*l).to_owned())
    .collect()
}

fn asset_detail() -> AssetDetail {
    let mut open = orders().remove(0);
    open.when = st("24/11/2026 03:12");
    let mut past = vec![
        order(
            1231,
            "high",
            "corrective",
            "done",
            "CAG-CH-02",
            "Troca do pressostato de alta",
            "lucas.martins",
            "02/11/2026",
            false,
            (0, 0),
            "R$ 1.860,00",
        ),
        order(
            1190,
            "medium",
            "preventive",
            "done",
            "CAG-CH-02",
            "Chiller — inspeção trimestral",
            "lucas.martins",
            "15/08/2026",
            false,
            (12, 12),
            "R$ 640,00",
        ),
        order(
            1162,
            "urgent",
            "corrective",
            "cancelled",
            "CAG-CH-02",
            "Alarme de fluxo (falso: sensor desconectado)",
            "carla.souza",
            "",
            false,
            (0, 0),
            "",
        ),
    ];
    past[0].when = st("03/11/2026 17:40");
    past[1].when = st("14/08/2026 16:05");
    past[2].when = st("29/07/2026 09:12");
    AssetDetail {
        row: assets().remove(1),
        location: st("Subsolo 2, CAG"),
        make: st("Trane"),
        model: st("RTAC 400 (parafuso a ar)"),
        serial: st("U16C04721"),
        installed: st("14/03/2016"),
        notes: st("Contrato de manutenção com o fabricante até 12/2027."),
        qr_text: st("opsdeck:hospital:asset:CAG-CH-02"),
        qr: qr(),
        sensors: vec![
            SensorRow {
                device: st("CH-02"),
                name: st("Chiller 2"),
                registered: true,
            },
            SensorRow {
                device: st("CH-02-VIB"),
                name: st(""),
                registered: false,
            },
        ],
        open_orders: vec![open],
        past_orders: past,
        total_cost: st("R$ 12.480,35"),
        downtime: st("19 h 21 min em 90 d"),
        down_since: Some(st("24/11/2026 03:10")),
        reliability: st("MTTR 6 h 27 min · MTBF 29 d 4 h · 3 falhas em 90 d"),
        list: ListView {
            selected: 1,
            filter: String::new(),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn plan(
    code: &str,
    name: &str,
    schedule: &str,
    assets: &[&str],
    procedure: &str,
    priority: &str,
    assignee: &str,
    active: bool,
    next: &str,
) -> PlanRow {
    PlanRow {
        code: st(code),
        name: st(name),
        schedule: st(schedule),
        assets: assets.iter().map(|a| st(a)).collect(),
        procedure: st(procedure),
        priority: st(priority),
        assignee: st(assignee),
        active,
        next: st(next),
        outlook: assets.iter().map(|a| (st(a), st(next))).collect(),
        generated: 12,
        open: 1,
    }
}

fn plans() -> Vec<PlanRow> {
    let fcs: Vec<String> = (1..=4)
        .flat_map(|floor| (1..=4).map(move |r| format!("FC-QTO-{floor}0{r}")))
        .collect();
    let fcs: Vec<&str> = fcs.iter().map(String::as_str).collect();
    let mut v = vec![
        plan(
            "PM-UTA-FILTRO-M",
            "UTA — troca mensal de filtros",
            "a cada 1 mês (fixo)",
            &["AHU-01", "UTA-UTIN-01", "UTA-CC-01"],
            "PMOC-UTA-FILTRO",
            "high",
            "bruno.lima",
            true,
            "20/12/2026",
        ),
        plan(
            "PM-FC-M",
            "PMOC mensal — fan coils",
            "a cada 1 mês (fixo)",
            &fcs,
            "PMOC-FC-M",
            "medium",
            "bruno.lima",
            true,
            "30/12/2026",
        ),
        plan(
            "PM-CH-TRIM",
            "Chiller — inspeção trimestral",
            "a cada 3 meses (a partir da \
            última)",
            &["CAG-CH-01", "CAG-CH-02", "CAG-CH-03"],
            "CH-TRIM",
            "high",
            "lucas.martins",
            true,
            "15/02/2027",
        ),
        plan(
            "PM-BAG-500H",
            "Bombas — lubrificação dos mancais",
            "a cada 500 h de run_hours",
            &["CAG-BAG-01", "CAG-BAG-02"],
            "BAG-LUB",
            "medium",
            "",
            true,
            "faltam 212 h",
        ),
        plan(
            "PM-CR-TEMP",
            "Câmara fria — verificação por temperatura",
            "temp_c acima de 8",
            &["CR-03", "CR-04"],
            "",
            "urgent",
            "lucas.martins",
            true,
            "quando temp_c > 8",
        ),
        plan(
            "PM-SPLIT-M",
            "PMOC mensal — split",
            "a cada 1 mês (fixo)",
            &["SPL-ADM-01", "SPL-CONS-02"],
            "PMOC-SPLIT-M",
            "medium",
            "",
            false,
            "pausado",
        ),
    ];
    v[0].outlook = vec![
        (st("AHU-01"), st("20/12/2026")),
        (st("UTA-UTIN-01"), st("20/12/2026")),
        (st("UTA-CC-01"), st("22/12/2026 (OS #1279 aberta)")),
    ];
    v[0].generated = 36;
    v
}

fn mv(
    at: &str,
    kind: &str,
    qty: &str,
    location: &str,
    order: &str,
    by: &str,
    note: &str,
) -> MoveRow {
    MoveRow {
        at: st(at),
        kind: st(kind),
        qty: st(qty),
        location: st(location),
        order: st(order),
        by: st(by),
        note: st(note),
    }
}

#[allow(clippy::too_many_arguments)]
fn item(
    code: &str,
    name: &str,
    unit: &str,
    on_hand: &str,
    min: &str,
    unit_cost: &str,
    value: &str,
    below: bool,
    locations: &str,
) -> ItemRow {
    ItemRow {
        code: st(code),
        name: st(name),
        unit: st(unit),
        on_hand: st(on_hand),
        min: st(min),
        unit_cost: st(unit_cost),
        value: st(value),
        below_min: below,
        locations: st(locations),
        moves: Vec::new(),
    }
}

fn items() -> Vec<ItemRow> {
    let mut v = vec![
        item(
            "FILT-G4-592",
            "Filtro G4 592x592",
            "un",
            "26",
            "30",
            "R$ 48,90",
            "R$ 1.271,40",
            true,
            "Almoxarifado central 26",
        ),
        item(
            "FLT-G4-592-287",
            "Filtro plissado G4 592×287×48 mm",
            "un",
            "24",
            "6",
            "R$ 32,50",
            "R$ 780,00",
            false,
            "Almoxarifado central 24",
        ),
        item(
            "FLT-F8-592-592",
            "Filtro bolsa F8 592×592×600 mm (8 bolsas)",
            "un",
            "3",
            "10",
            "R$ 265,00",
            "R$ 795,00",
            true,
            "Almoxarifado central 3",
        ),
        item(
            "FLT-MANTA-G4",
            "Manta filtrante G4 para fan coil",
            "m",
            "30",
            "10",
            "R$ 18,40",
            "R$ 552,00",
            false,
            "Almoxarifado central 30",
        ),
        item(
            "BACT-PASTILHA",
            "Pastilha bactericida para bandeja",
            "un",
            "50",
            "30",
            "R$ 4,80",
            "R$ 240,00",
            false,
            "Almoxarifado central 50",
        ),
        item(
            "LIMP-SERPENTINA",
            "Limpador alcalino de serpentina (5 L)",
            "L",
            "50",
            "15",
            "R$ 12,90",
            "R$ 645,00",
            false,
            "Almoxarifado central 30 · Casa de máquinas 20",
        ),
        item(
            "CORR-B52",
            "Correia em V B-52",
            "un",
            "1",
            "4",
            "R$ 41,20",
            "R$ 41,20",
            true,
            "Casa de máquinas 1",
        ),
        item(
            "ROL-6205",
            "Rolamento 6205-2RS",
            "un",
            "8",
            "4",
            "R$ 36,75",
            "R$ 294,00",
            false,
            "Casa de máquinas 8",
        ),
        item(
            "GAS-R410A",
            "Fluido refrigerante R-410A (cilindro 11,3 kg)",
            "kg",
            "22,6",
            "11,3",
            "R$ 61,00",
            "R$ 1.378,60",
            false,
            "Casa de máquinas 22,6",
        ),
    ];
    v[0].moves = vec![
        mv(
            "25/11/2026 08:20",
            "issue",
            "-4 un",
            "Almoxarifado central",
            "OS 1275",
            "bruno.lima",
            "",
        ),
        mv(
            "18/11/2026 10:02",
            "issue",
            "-6 un",
            "Almoxarifado central",
            "OS 1264",
            "bruno.lima",
            "",
        ),
        mv(
            "12/11/2026 15:40",
            "receive",
            "+24 un",
            "Almoxarifado central",
            "",
            "ana.souza",
            "NF 48.112 Filtros Brasil",
        ),
        mv(
            "03/11/2026 09:15",
            "return",
            "+2 un",
            "Almoxarifado central",
            "OS 1231",
            "lucas.martins",
            "sobra",
        ),
        mv(
            "31/10/2026 17:00",
            "adjust",
            "-1 un",
            "Almoxarifado central",
            "",
            "ana.souza",
            "contagem mensal: 1 danificado",
        ),
    ];
    v
}

// ---------------------------------------------------------------------------------------------
// Orders

#[test]
fn orders_at_80x24() {
    let s = shell(Locale::PtBr);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("PMOC no mês 85 % (17/20)"), "the KPI strip");
    assert!(text.contains("! 24/11/2026"), "the overdue mark");
    assert!(
        !text.contains("#1250"),
        "done orders are not in the backlog"
    );
}

#[test]
fn orders_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.order_list.selected = 2;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("6/10"), "the checklist column");
    // the selected row is reversed across the list; urgent and overdue are red as well as
    // marked
    let buf = t.backend().buffer();
    let row_of = |needle: &str| {
        (0..buf.area.height).find(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, *y)].symbol())
                .collect::<String>()
                .contains(needle)
        })
    };
    let selected = row_of("#1275").expect("the selected order");
    for x in 1..buf.area.width - 1 {
        assert!(
            buf[(x, selected)].modifier.contains(Modifier::REVERSED),
            "column {x} of the selected row"
        );
    }
    let urgent = row_of("#1291").expect("an urgent order");
    let red = |y: u16, text: &str| {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let at = line.find(text).map(|b| line[..b].chars().count() as u16);
        at.is_some_and(|x| buf[(x, y)].fg == Color::Red)
    };
    assert!(red(urgent, "▲ urgente"));
    assert!(red(selected, "! 20/11/2026"));
}

#[test]
fn orders_of_every_status_at_160x50() {
    let mut s = shell(Locale::PtBr);
    s.wo.filter.status = StatusFilter::All;
    s.wo.order_list.selected = 8;
    let t = draw(&s, 160, 50);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("#1250") && text.contains("concluída"));
    assert!(text.contains("Custo no mês R$ 18.432,70"));
}

#[test]
fn orders_in_english_narrowed_to_an_assignee() {
    let mut s = shell(Locale::En);
    s.wo.filter = OrderFilter {
        status: StatusFilter::All,
        assignee: st("lucas.martins"),
        ..OrderFilter::default()
    };
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("assignee lucas.martins"));
    assert!(text.contains("in progress") && text.contains("urgent"));
}

#[test]
fn orders_no_color_ascii() {
    let mut s = shell(Locale::PtBr);
    s.theme = ASCII;
    s.wo.order_list.selected = 1;
    let t = draw(&s, 100, 30);
    insta::assert_snapshot!(t.backend());
    assert_no_colour(&t);
    assert_ascii(&t);
    assert!(screen(&t).contains("!! urgente"));
}

#[test]
fn orders_filtered_while_typing() {
    let mut s = shell(Locale::PtBr);
    s.filtering = true;
    s.wo.order_list.filter = st("fan coil");
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("Ordens (3/10)"));
}

#[test]
fn orders_empty_with_these_filters() {
    let mut s = shell(Locale::PtBr);
    s.wo.filter = OrderFilter {
        kind: Some(st("request")),
        overdue_only: true,
        ..OrderFilter::default()
    };
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("Nenhuma ordem com estes filtros"));
}

#[test]
fn not_loaded_says_loading() {
    let mut s = shell(Locale::PtBr);
    s.wo.loaded = false;
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("carregando"));
}

// ---------------------------------------------------------------------------------------------
// Order page

fn order_shell(locale: Locale) -> Shell {
    let mut s = shell(locale);
    s.wo.view = WoView::Order;
    s.wo.order = Some(order_detail());
    s
}

#[test]
fn order_page_at_80x24() {
    let s = order_shell(Locale::PtBr);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(
        text.contains("não conforme"),
        "the selected item stays in sight"
    );
    assert!(text.contains("h em espera") && text.contains("c concluir"));
    assert!(
        !text.contains("b iniciar"),
        "only the moves the order allows"
    );
}

#[test]
fn order_page_at_80x24_paged_to_its_record() {
    let mut s = order_shell(Locale::PtBr);
    if let Some(o) = s.wo.order.as_mut() {
        o.list.selected = 0;
        o.scroll = 30;
    }
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("Total") && text.contains("R$ 713,10"));
    assert!(text.contains("3f2a9c0d1e4b"), "the short checksum");
    // past the end it stops at the last line
    if let Some(o) = s.wo.order.as_mut() {
        o.scroll = 999;
    }
    let text = screen(&draw(&s, 80, 24));
    assert!(text.contains("Histórico") && text.contains("em espera → em andamento"));
}

#[test]
fn order_page_at_120x40() {
    let s = order_shell(Locale::PtBr);
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("em espera → em andamento"));
    assert!(
        text.contains("aguardando filtros F8"),
        "the reason of a status change"
    );
}

#[test]
fn order_page_ascii_no_color_at_80x24() {
    let mut s = order_shell(Locale::PtBr);
    s.theme = ASCII;
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert_no_colour(&t);
    let text = screen(&t);
    assert!(text.contains("[X] não conforme") && text.contains("- porta de inspeção"));
}

#[test]
fn order_page_at_160x50_in_english() {
    let mut s = order_shell(Locale::En);
    if let Some(o) = s.wo.order.as_mut() {
        o.alert = Some(st("Alert 12 · AHU-01 · filter_dp_pa 312 · open"));
        o.down_now = true;
        o.downtime.push(st("since 25/11 09:40"));
        o.row.status = st("on_hold");
        o.moves = vec![st("in_progress"), st("cancelled")];
    }
    let t = draw(&s, 160, 50);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("ASSET DOWN") && text.contains("b resume"));
}

#[test]
fn labor_form_with_an_inline_error_over_the_order() {
    let mut s = order_shell(Locale::PtBr);
    let field = |key: &'static str, label: &str, value: &str, choices: &[&str]| FormField {
        key,
        label: st(label),
        value: st(value),
        choices: choices.iter().map(|c| st(c)).collect(),
        error: None,
    };
    let mut fields = vec![
        field(
            "user",
            "Técnico",
            "lucas.martins",
            &["bruno.lima", "lucas.martins"],
        ),
        field("hours", "Horas", "1,5h", &[]),
        field("rate", "Valor da hora", "R$ 95,00", &[]),
        field("note", "Nota", "", &[]),
    ];
    fields[1].error = Some(st("não é um número de horas: 1,5h (ex.: 1,5)"));
    s.wo.form = Some(Form {
        title: st("Mão de obra · OS #1275"),
        fields,
        focused: 1,
        message: None,
        confirm_discard: false,
    });
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("não é um número de horas"));
}

#[test]
fn hold_prompt_over_the_order() {
    let mut s = order_shell(Locale::PtBr);
    s.wo.prompt = Some(Prompt {
        title: st("Em espera · OS #1275 · por quê?"),
        input: st("aguardando borracha da porta de inspeção"),
        error: None,
    });
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

// ---------------------------------------------------------------------------------------------
// Assets

#[test]
fn assets_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Assets;
    s.wo.asset_list.selected = 5;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("Casa de máquinas (5)") && text.contains("Anexo ambulatorial"));
    assert!(text.contains("✗ PARADO"));
}

#[test]
fn assets_at_80x24_scrolled_in_english() {
    let mut s = shell(Locale::En);
    s.wo.view = WoView::Assets;
    s.wo.asset_list.selected = 13;
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(
        screen(&t).contains("Anexo ambulatorial"),
        "the group of the selected asset"
    );
}

#[test]
fn asset_page_with_its_qr_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Asset;
    s.wo.asset = Some(asset_detail());
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(
        text.contains("████ ▄▄▄▄▄ █"),
        "the QR code as the app drew it"
    );
    assert!(text.contains("Encerradas (3)"));
}

#[test]
fn asset_page_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Asset;
    s.wo.asset = Some(asset_detail());
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn asset_qr_large_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Asset;
    s.wo.asset = Some(asset_detail());
    s.wo.show_qr = true;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("opsdeck:hospital:asset:CAG-CH-02"));
}

#[test]
fn asset_qr_large_doubled_at_160x50() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Asset;
    s.wo.asset = Some(asset_detail());
    s.wo.show_qr = true;
    let t = draw(&s, 160, 50);
    insta::assert_snapshot!(t.backend());
    assert!(
        screen(&t).contains("████████  ██████████"),
        "modules two cells wide"
    );
}

#[test]
fn asset_qr_large_ascii_at_160x50() {
    let mut s = shell(Locale::PtBr);
    s.theme = ASCII;
    s.wo.view = WoView::Asset;
    s.wo.asset = Some(asset_detail());
    s.wo.show_qr = true;
    let t = draw(&s, 160, 50);
    assert_ascii(&t);
    assert!(screen(&t).contains("########"));
    // at 80x24 it cannot fit: it says so rather than draw a broken code
    let t = draw(&s, 80, 24);
    assert!(screen(&t).contains("não cabe"));
}

// ---------------------------------------------------------------------------------------------
// Plans, inventory, KPIs

#[test]
fn plans_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Plans;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("UTA-CC-01 22/12/2026 (OS #1279 aberta)"));
    assert!(text.contains("16 ativos") && text.contains("○ pausado"));
}

#[test]
fn inventory_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Inventory;
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("ABAIXO MÍN."));
}

#[test]
fn inventory_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Inventory;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("✗ ABAIXO DO MÍNIMO"));
    assert!(text.contains("NF 48.112 Filtros Brasil"));
}

#[test]
fn kpis_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.wo.view = WoView::Kpis;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("85 % (17/20)") && text.contains("R$ 18.432,70"));
    assert!(text.contains("MTBF") && text.contains("janela 90 d"));
}

#[test]
fn kpis_at_80x24_in_english() {
    let mut s = shell(Locale::En);
    s.wo.view = WoView::Kpis;
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

// ---------------------------------------------------------------------------------------------
// Robustness

const VIEWS: [WoView; 7] = [
    WoView::Orders,
    WoView::Order,
    WoView::Assets,
    WoView::Asset,
    WoView::Plans,
    WoView::Inventory,
    WoView::Kpis,
];

/// Every view, not loaded, loaded and empty, and full with selections and scrolls past the end,
/// in both languages and themes, at the smallest size, one past it and a large one: nothing
/// panics.
#[test]
fn every_view_renders_at_any_size_without_panicking() {
    let sizes = [(80, 24), (81, 25), (200, 60)];
    for locale in [Locale::PtBr, Locale::En] {
        for theme in [Theme::default(), ASCII] {
            for view in VIEWS {
                let mut empty = Shell::new(locale, theme);
                empty.pane = PaneId::WorkOrders;
                empty.wo.view = view;
                empty.wo.order_list.selected = 99;

                let mut loaded_empty = empty.clone();
                loaded_empty.wo.loaded = true;
                loaded_empty.wo.order = Some(OrderDetail {
                    list: ListView {
                        selected: 7,
                        filter: String::new(),
                    },
                    scroll: 50,
                    ..OrderDetail::default()
                });
                loaded_empty.wo.asset = Some(AssetDetail {
                    qr: vec![st("not a qr ✓"), String::new()],
                    ..AssetDetail::default()
                });
                loaded_empty.wo.kpis.pm_percent = Some(250);

                let mut full = shell(locale);
                full.theme = theme;
                full.wo.view = view;
                full.wo.order_list.selected = 99;
                full.wo.asset_list.selected = 99;
                full.wo.plan_list.selected = 99;
                full.wo.item_list.selected = 99;
                full.wo.kpis.list.selected = 99;
                let mut o = order_detail();
                o.list.selected = 99;
                o.scroll = 999;
                full.wo.order = Some(o);
                let mut a = asset_detail();
                a.list.selected = 99;
                full.wo.asset = Some(a);
                full.filtering = true;
                full.wo.order_list.filter = st("chiller");

                let mut big_qr = full.clone();
                big_qr.wo.show_qr = true;

                for sh in [&empty, &loaded_empty, &full, &big_qr] {
                    for (w, h) in sizes {
                        draw(sh, w, h);
                    }
                }
            }
        }
    }
}
