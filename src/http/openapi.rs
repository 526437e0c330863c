//! The API's contract as an OpenAPI 3.1 document, generated from the handlers' annotations and
//! the types in `contract`, served at `/api/v1/openapi.json` with a browsable page at `/api/docs/`
//! (Swagger UI, bundled in the binary).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::{
    agencies, analysis, audit, codebooks, evaluation, events, exports, forms, health, indicators, metrics, notes,
    paper, programme, publicity, responses, series, text_tools, waves,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tsunagari",
        description = "Questionnaires of a community recovery programme: events, attendees' answers, \
                       breakdowns by attribute, indicators, and researchers' aggregates under disclosure control. \
                       Staff (admin, analyst) and researchers authenticate with a bearer token; attendees do not."
    ),
    paths(
        health::healthz, health::readyz, metrics::metrics,
        forms::list_forms, forms::latest_form, forms::form_version, forms::upload_form,
        forms::latest_workbook, forms::version_workbook, forms::form_versions, forms::diff_versions,
        events::create_event, events::list_events, events::get_event, events::update_event, events::delete_event,
        events::qr_svg, events::qr_png,
        series::create_series,
        waves::create_wave, waves::list_waves,
        responses::submit_response, responses::submit_paper_response, paper::template, paper::import,
        codebooks::list_codebooks, codebooks::put_codebook, codebooks::get_codebook, codebooks::put_coding, codebooks::apply_rules, codebooks::next_coding,
        notes::add_note, notes::list_notes, notes::update_note, notes::delete_note,
        publicity::add_series_publicity, publicity::add_publicity, publicity::list_publicity, publicity::delete_publicity,
        agencies::put_agency, agencies::list_agencies, agencies::get_agency, agencies::delete_agency,
        indicators::put_plan, indicators::list_plans, indicators::get_plan, indicators::delete_plan,
        indicators::plan_report, indicators::all_reports, indicators::put_consideration, indicators::get_consideration,
        evaluation::evaluation_report,
        programme::get_programme, programme::put_programme, programme::programme_report,
        analysis::breakdown, analysis::channels, analysis::opinions, analysis::attendance_drivers, analysis::publicity, analysis::waves, analysis::themes, analysis::agreement,
        text_tools::get_dictionary, text_tools::put_dictionary, text_tools::compounds, text_tools::kwic, text_tools::cooccurrence, text_tools::correspondence,
        exports::aggregate, exports::aggregate_schema, exports::responses_csv, exports::responses_parquet,
        audit::audit_log,
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags(
        (name = "submissions", description = "Attendees' answers (no token)"),
        (name = "events", description = "Events and their schedules (staff)"),
        (name = "forms", description = "Form definitions, every version (no token)"),
        (name = "analysis", description = "Breakdowns and opinions (staff; researchers under disclosure control)"),
        (name = "indicators", description = "Activity and outcome indicators per fiscal year"),
        (name = "exports", description = "Downloads"),
        (name = "health", description = "For load balancers"),
        (name = "audit", description = "What staff and researchers did (administrators)"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`tsunagari token create --role admin|analyst|researcher`)",
                    ))
                    .build(),
            ),
        );
    }
}

/// Serves the document and its browsable page; registered before the `/api/v1` scope.
pub fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", ApiDoc::openapi())
}
