//! The services' refusals (`opsdeck_storage::refusal::Why`) in the user's language. English is
//! the refusal's own text; Portuguese is a template per refusal here, and the few English words
//! a refusal carries as values (a work-order status, what a closed order takes no more of, a
//! role) are looked up when its template marks them: `{1:status}`, `{2:statuses}`, `{3:word}`.

use opsdeck_storage::locale::Locale;
use opsdeck_storage::refusal::{Arg, Msg, Why, fill};

use crate::panes::wo::text::PT_BR as WO_PT;

/// `why` said in `locale`.
pub fn say(locale: Locale, why: &Why) -> String {
    match locale {
        Locale::En => why.to_string(),
        Locale::PtBr => fill(portuguese(why.msg), |n, kind| {
            why.args.get(n).map(|a| match a {
                Arg::Why(w) => say(locale, w),
                Arg::Text(t) => match kind {
                    "status" => WO_PT.status(t),
                    "statuses" => t
                        .split(", ")
                        .map(|s| WO_PT.status(s))
                        .collect::<Vec<_>>()
                        .join(", "),
                    "word" => word(t).unwrap_or(t).to_owned(),
                    _ => t.clone(),
                },
            })
        }),
    }
}

/// The English words services pass as values, in Portuguese.
fn word(en: &str) -> Option<&'static str> {
    Some(match en {
        // roles
        "operator" => "operador",
        "supervisor" => "supervisor",
        "finance" => "financeiro",
        "auditor" => "auditor",
        "admin" => "admin",
        // what a closed work order takes no more of
        "checklist answers" => "respostas de checklist",
        "parts" => "peças",
        "part returns" => "devoluções de peças",
        "labor" => "mão de obra",
        "services" => "serviços",
        "downtime" => "parada",
        "new assignee" => "novo responsável",
        "edit" => "edição",
        "new priority" => "nova prioridade",
        "new due date" => "novo prazo",
        // stock movements
        "receive" => "uma entrada",
        "issue" => "uma baixa",
        "adjust" => "um ajuste",
        "return" => "uma devolução",
        // plan periods
        "day" => "dia(s)",
        "week" => "semana(s)",
        "month" => "mês(es)",
        // gas quantities
        "a plan" => "um plano",
        "a real consumption" => "um consumo real",
        "a QDS" => "uma QDS",
        // record kinds
        "criticality" => "criticidade",
        _ => return None,
    })
}

/// The Portuguese template of each refusal, with the same values as the English one.
fn portuguese(m: Msg) -> &'static str {
    use Msg::*;
    match m {
        // assets
        TagRequired => "é obrigatório (ex.: CH-01)",
        ValueTooLong => "'{0}' tem mais de {1} caracteres",
        TagBadChar => "'{0}' tem '{1}': use só letras, dígitos, '-' e '_' (ex.: CH-01)",
        RequiredExample => "é obrigatório (ex.: {0})",
        NotAKind => "'{0}' não é um tipo: uma palavra de letras, dígitos e '_' (conhecidos: {1})",
        IsRequired => "é obrigatório",
        IsTooLong => "tem mais de {0} caracteres",
        DateInFuture => "{0} está no futuro (hoje é {1})",
        NotADeviceId => {
            "'{0}' não é um id de dispositivo (uma palavra, como o sensor envia, ex.: AHU-01)"
        }
        NoAssetInTenant => "não há ativo '{0}' no tenant '{1}' (tente: opsdeck asset find {0})",
        TagUsedBy => "'{0}' já é usado por '{1}'",
        NotADate => "'{0}' não é uma data (AAAA-MM-DD)",
        TagOnRow => "'{0}' também está na linha {1}",
        DeviceOnRow => "o dispositivo '{0}' também está na linha {1}",
        DeviceNotLinked => "'{0}' não está ligado ao ativo '{1}' (seus sensores: {2})",
        DeviceNotLinkedNoSensors => "'{0}' não está ligado ao ativo '{1}' (ele não tem sensores)",
        UnknownValue => "{0:word} desconhecido(a) '{1}' (esperado um de: {2})",
        // inventory
        PartCodeRequired => "obrigatório: o código da peça que as pessoas usam",
        TooLong => "mais de {0} caracteres",
        CodeHasSpaces => "'{0}' tem espaços; use p. ex. FLT-G4-592",
        Required => "obrigatório",
        UnitRequired => "obrigatório: un, m, kg, L ...",
        MinStockNegative => "{0} é negativo; o mínimo é 0 ou mais",
        NoInventoryItem => "não há item de estoque '{0}'",
        ItemExists => "o item {0} já existe ({1}); edite-o",
        LocationRequired => "obrigatório: onde fica o estoque (Almoxarifado ...)",
        StockBelowZero => "só há {0} {1} de {2} em {3}; {4:word} de {5} deixaria abaixo de zero",
        ItemRetired => "{0} ({1}) não é mais usado",
        NoStockAnywhere => "não há {0} ({1}) em estoque em lugar nenhum",
        SayWhichLocation => "{0} está estocado em {1}: diga qual local",
        ZeroChangesNothing => "0 não muda nada; informe a diferença contada",
        CountReasonRequired => "obrigatório: diga por que a contagem muda",
        // preventive plans
        NotAPlanCode => {
            "'{0}' não é um código de plano: 1 a 40 letras, dígitos, '-', '_' ou '.' (ex.: PM-CH-TRIM)"
        }
        RequiredAtMost => "obrigatório, no máximo {0} caracteres",
        AssetTagRequired => "é obrigatório ao menos um ativo",
        ListedTwice => "'{0}' está na lista duas vezes",
        NotAnAssetTag => "'{0}' não é uma tag de ativo",
        PeriodOutOfRange => {
            "deve ser de no mínimo 1 e no máximo cerca de 10 anos, não {0} {1:word}"
        }
        CounterRequired => "obrigatório (o contador, ex.: run_hours)",
        CounterStepPositive => "deve ser mais de 0 unidades do contador, não {0}",
        MetricRequired => "obrigatório (ex.: temp_c)",
        GiveALimit => "informe um limite: acima, abaixo ou ambos",
        NotANumber => "deve ser um número",
        BelowNotUnderAbove => {
            "deve ser menor que o acima ({0}): o plano dispara fora de [{1}, {0}]"
        }
        AtMostNot => "no máximo {0}, não {1}",
        AtMostChars => "no máximo {0} caracteres",
        OneDevicePerPlan => {
            "um plano de {0} ativos lê o dispositivo de cada ativo: deixe o dispositivo vazio, ou faça um plano por ativo"
        }
        NoAsset => "não há ativo '{0}'",
        AssetRetired => "o ativo '{0}' está desativado",
        NoProcedureImport => {
            "não há procedimento '{0}' (importe-o antes: opsdeck pm procedures import ARQUIVO)"
        }
        NoRoleHere => "'{0}' não tem papel neste tenant",
        PlanExists => "o plano '{0}' já existe",
        PlanCodeFixed => "o código de um plano não muda",
        NoPlan => "não há plano '{0}'",
        // work orders
        NoWorkOrder => "não há ordem de serviço {0}",
        AssetIsRetired => "{0} ({1}) está desativado",
        NoAlert => "não há alerta '{0}'",
        NoProcedure => "não há procedimento '{0}'",
        AssigneeNoRole => "{0} não tem papel neste tenant (opsdeck user add {0} --role operator)",
        AlertResolved => "o alerta {0} está resolvido; abra uma ordem a partir de um alerta aberto",
        ChecklistUnanswered => "a OS {0} é preventiva e há itens obrigatórios sem resposta: {1}",
        EvidenceExists => "a OS {0} já tem este arquivo, como '{1}' (anexado por {2})",
        OrderHasNoAsset => "a OS {0} não é sobre nenhum ativo: não há o que marcar como parado",
        AlreadyDown => "{0} já está parado desde {1} na OS {2}",
        InFuture => "{0} está no futuro",
        BeforePreviousWindow => "{0} é antes do fim da janela anterior ({1})",
        NoOpenDowntime => {
            "a OS {0} não tem janela de parada aberta (marque o ativo como parado antes)"
        }
        BeforeWentDown => "{0} é antes de o ativo parar ({1})",
        TitleRequired => "obrigatório: diga o que deve ser feito",
        NoteTextRequired => "obrigatório: uma nota precisa de texto",
        FileNameRequired => "obrigatório: o nome do arquivo",
        TechnicianRequired => "obrigatório: quem fez o trabalho",
        HoursOverADay => "{0} h é mais de 24 h num lançamento; lance cada dia à parte",
        RateNegative => "{0} é negativo; um valor por hora é 0 ou mais",
        ServiceRequired => "obrigatório: qual serviço foi contratado",
        WorkOnAssigned => "trabalhar na OS {0}, atribuída a {1}",
        ClosedTakesNo => "a OS {0} está {1:status}: uma ordem fechada não aceita {2:word}",
        ClosedAtTakesNo => {
            "a OS {0} está {1:status} desde {2}: uma ordem fechada não aceita {3:word}"
        }
        NotInStatus => "a OS {0} está {1:status}, não {2:status}",
        NotInStatusResume => "a OS {0} está {1:status}, não {2:status}; retome-a",
        NotInStatusStart => "a OS {0} está {1:status}, não {2:status}; inicie-a",
        CannotMoveFinal => "não pode ir de {0:status} para {1:status}: {0:status} é final",
        CannotMove => {
            "não pode ir de {0:status} para {1:status}; de {0:status} uma ordem pode ir para: {2:statuses}"
        }
        HoldReasonRequired => "obrigatório para pôr uma ordem em espera: diga o que ela aguarda",
        CancelReasonRequired => "obrigatório para cancelar uma ordem: diga por quê",
        NoChecklist => "a OS {0} não tem checklist",
        NoChecklistItem => "não há item {0}: o checklist tem itens de 1 a {1}",
        ItemRequiredNotNa => "o item {0} '{1}' é obrigatório: não pode ser não aplicável",
        ItemIsPassFail => "o item {0} '{1}' é passa/falha, não um valor",
        ItemWantsValue => "o item {0} '{1}' pede um valor em {2}, não passa/falha",
        OnlyIssued => "só {0} de {1} foram baixados para a OS {2}",
        OnlyIssuedFrom => "só {0} de {1} foram baixados para a OS {2} de {3}",
        // gas
        NoGasUnit => "não há unidade de gás '{0}' (unidades: {1})",
        UserNoRoleAddFirst => {
            "'{0}' não tem papel no tenant '{1}'; adicione antes: opsdeck user add {0} --role operator"
        }
        AfterTomorrow => {
            "{0} é depois de amanhã ({1}); um dia pode ser lançado no máximo com um dia de antecedência"
        }
        HoursOutsideDay => "{0} h está fora de 0 a 24 horas de operação",
        UnitInactive => "{0} ({1}) não está ativa",
        NoAtomizer => "{0} não tem atomizador em serviço",
        NoRateInForce => "{0} não tem vazão em vigor em {1} ({2})",
        SecondAtomizerRequired => "obrigatório: {0} tem um segundo atomizador ({1})",
        NoSecondAtomizer => "{0} não tem segundo atomizador",
        NoLineOrDryer => "{0} não tem linha ou secador '{1}' (tem: {2})",
        AtomizerTakesHours => {
            "{0} é um atomizador: informe as horas, não ligado/desligado (linhas e secadores: {1})"
        }
        OutOfService => "{0} ({1}) está fora de serviço",
        QdcPositive => "{0} m³/d deve ser maior que 0",
        QdcTooLarge => "{0} m³/d é mais que {1}; confira o número",
        FactorPositive => "{0} deve ser maior que 0 (um fator do plano, ex.: 0.8)",
        FactorAtMostOne => "{0} deve ser 1 ou menos (um fator do plano, ex.: 0.8)",
        FactorAtLeastOne => "{0} deve ser 1 ou mais (um fator do plano, ex.: 1.1)",
        MoleculeMinOutside => {
            "{0} está abaixo de transport_min {1}: a faixa da molécula fica dentro da faixa de transporte"
        }
        MoleculeMaxOutside => {
            "{0} está acima de transport_max {1}: a faixa da molécula fica dentro da faixa de transporte"
        }
        VolumeNegative => "{0} m³ é negativo; {1:word} é 0 ou mais",
        VolumeTooLarge => "{0} m³ é mais que {1} m³; confira o número",
        NoPlanToApprove => "{0} não tem plano (QDP) para {1} a aprovar",
        MustBePositive => "{0} deve ser maior que 0",
        TooLarge => "{0} é mais que {1}; confira o número",
        RateReasonRequired => "obrigatório: diga por que a vazão muda",
        NoEquipment => "{0} não tem equipamento '{1}' (tem: {2})",
        RateExists => {
            "{0} já tem uma vazão a partir de {1} ({2} {3}, definida por {4}); escolha outra data"
        }
        // amounts
        TooManyDecimals => "{0} tem mais de {1} casas decimais",
        // alert rules
        MustNotBeEmpty => "não pode ficar vazio",
        DevicesEmpty => {
            "não pode ficar vazio (um id de dispositivo, um prefixo como \"AHU-*\", ou \"*\")"
        }
        StarOnlyAtEnd => "'{0}': '*' só é permitido no fim (\"AHU-*\")",
        NotFinite => "deve ser um número finito (recebido {0})",
        NotNegative => "deve ser 0 ou mais (recebido {0})",
        MoreThanZero => "deve ser maior que 0",
        WindowTooLong => "deve ser no máximo {0} (1 h), recebido {1}",
        StaleTooLong => "deve ser no máximo {0} (30 dias), recebido {1}",
        MinNotBelowMax => "deve ser menor que max ({0} não é menor que {1})",
        HysteresisTooWide => {
            "{0} é larga demais para a faixa {1} a {2}: nunca normalizaria (no máximo metade de max - min)"
        }
        ForTooLong => "deve ser no máximo {0} (1 dia), recebido {1}",
        // roles
        MayNot => "{0} ({1:word}) não pode {3} ({2}) no tenant '{4}'; {5}",
        MayNotAskAdmin => "{0} ({1:word}) não pode {2} no tenant '{3}'; peça a um admin",
        NoRoleIn => {
            "{0} não tem papel no tenant '{1}'; um admin pode adicionar: opsdeck user add {0} --role {2}"
        }
        AskSupervisor => "peça a um supervisor ou a um admin",
        AskAdmin => "peça a um admin",
        MissingRate => "{0} {1}: sem vazão em vigor em {2} (a primeira vazão começa depois)",
        // files
        NoSuchFile => "{0}: arquivo não encontrado",
        // what a role check refused (Guarded::what)
        AssetManage => "criar, editar, desativar ou ligar ativos",
        StockReceive => "receber estoque",
        StockManage => "criar ou editar itens de estoque e ajustar contagens",
        PmManagePlans => "criar ou alterar planos preventivos",
        PmManageProcedures => "importar ou alterar procedimentos",
        PmRun => "rodar o agendador de preventivas",
        WoCreate => "abrir uma solicitação ou ordem corretiva",
        WoCreatePlanned => "abrir uma ordem preventiva ou preditiva",
        WoWork => "trabalhar numa ordem de serviço",
        WoManage => "atribuir, repriorizar, reagendar ou cancelar uma ordem de serviço",
        GasEnter => "lançar dados diários de gás",
        GasEnterPast => "lançar dados de gás de um dia anterior a hoje",
        GasPlan => "definir um plano diário (QDP)",
        GasApprovePlan => "aprovar um plano diário (QDP)",
        GasEnterQdr => "lançar um consumo real (QDR)",
        GasConfigure => "alterar vazões de equipamentos de gás ou contratos",
        LedgerView => "ver o orçamento",
        LedgerPost => "lançar no orçamento",
        LedgerBudget => "alterar o orçamento planejado",
        LedgerClose => "fechar um mês do orçamento",
        LedgerConfigure => "alterar centros de custo, categorias ou a tarifa de gás",
        PeriodClosed => {
            "{0} está fechado: nada é lançado num mês fechado; lance um ajuste (tipo ajuste, com o motivo): ele entra em {1} indicando {0}"
        }
        NoCostCenter => "não há centro de custo '{0}' (centros: {1})",
        NoCategory => "não há categoria '{0}' (categorias: {1})",
        NoCommitment => "não há compromisso em aberto '{0}'",
        SourceConflict => {
            "'{0}' já foi lançado com outros valores ({1}); uma chave de lançamento vale uma vez"
        }
        AlreadyClosed => "{0} foi fechado por {1} em {2}",
        CloseNotReady => {
            "{0} tem {1} pendências ({2}); feche com justificativa ou resolva-as antes"
        }
        MustNotBeZero => "não pode ser 0",
        NoEntry => "não há lançamento '{0}'",
        DateOutOfRange => "{0} está fora do intervalo (01/01/1900 a 31/12/2999)",
        CloseNotOver => "{0} ainda não terminou (hoje é {1}): um mês fecha depois de terminar",
        CodeBad => "'{0}' não é um código: letras, dígitos, '-' e '_' (ex.: HC-CAG)",
        ParentLoop => "'{0}' não pode ficar sob '{1}': '{1}' está sob '{0}'",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opsdeck_storage::why;

    /// The placeholders of a template, without their kinds: "{0}", "{1}" ...
    fn slots(t: &str) -> std::collections::BTreeSet<String> {
        t.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}'))
            .map(|(inside, _)| inside.split(':').next().unwrap_or(inside).to_owned())
            .collect()
    }

    #[test]
    fn every_refusal_names_the_same_values_in_portuguese() {
        for m in Msg::ALL {
            assert_eq!(
                slots(m.english()),
                slots(portuguese(*m)),
                "{m:?}: the Portuguese template names other values than the English one"
            );
        }
    }

    #[test]
    fn portuguese_translates_the_words_a_refusal_carries() {
        let w = why!(NotInStatusResume, 12, "on_hold", "in_progress");
        assert_eq!(
            say(Locale::PtBr, &w),
            "a OS 12 está em espera, não em andamento; retome-a"
        );
        assert_eq!(
            say(Locale::En, &w),
            "OS 12 is on_hold, not in_progress; resume it instead"
        );
        let w = why!(ClosedTakesNo, 7, "done", "parts");
        assert_eq!(
            say(Locale::PtBr, &w),
            "a OS 7 está concluída: uma ordem fechada não aceita peças"
        );
    }

    #[test]
    fn a_role_refusal_says_what_was_refused_in_portuguese() {
        let w = Why::new(
            Msg::MayNot,
            vec![
                Arg::text(&"ana"),
                Arg::text(&"operator"),
                Arg::text(&"wo.manage"),
                Why::from(Msg::WoManage).into(),
                Arg::text(&"hospital"),
                Why::from(Msg::AskSupervisor).into(),
            ],
        );
        assert_eq!(
            say(Locale::PtBr, &w),
            "ana (operador) não pode atribuir, repriorizar, reagendar ou cancelar uma ordem de \
             serviço (wo.manage) no tenant 'hospital'; peça a um supervisor ou a um admin"
        );
    }
}
