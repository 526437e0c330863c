//! The dashboard's forms page: each form's versions (when, by whom, how many events ask them),
//! their workbooks, a preview of the phone form, and the upload of a new version with its problems.

use maud::{html, Markup};

use super::dashboard::{signed_in, Chrome, Section};
use crate::db::forms::{StoredForm, VersionSummary};
use crate::services::form_upload::UploadProblem;

pub struct FormsView<'a> {
    pub forms: &'a [(StoredForm, Vec<VersionSummary>)],
    pub problems: &'a [UploadProblem],
    pub uploaded: Option<&'a str>,
}

pub fn forms_page(chrome: &Chrome, view: &FormsView) -> Markup {
    signed_in(
        "フォーム",
        chrome,
        Section::Forms,
        html! {
            h1 { "フォーム" }
            p {
                "アンケートの質問は Excel（XLSForm 形式）で編集できます。今の版をダウンロードして直し、アップロードすると新しい版になります。"
                "すでに作成したイベントは、作成時の版のまま回答を受け付けます。"
            }
            @if let Some(uploaded) = view.uploaded { p.notice role="status" { (uploaded) } }
            section.card aria-labelledby="upload-form" {
                h2 id="upload-form" { "フォームをアップロード" }
                form method="post" action="/dashboard/forms" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="workbook" { "XLSForm のファイル（.xlsx）" }
                        input #workbook type="file" name="workbook" required
                            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    }
                    button type="submit" { "アップロードする" }
                }
                @if !view.problems.is_empty() {
                    div role="alert" {
                        p.error { "次の点を直してから、もう一度アップロードしてください（保存していません）。" }
                        table {
                            thead { tr { th scope="col" { "場所" } th scope="col" { "内容" } } }
                            tbody {
                                @for problem in view.problems {
                                    tr {
                                        td { code { (problem.location.as_deref().unwrap_or("—")) } }
                                        td { (problem.message) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @for (latest, versions) in view.forms {
                @let slug = &latest.definition.slug;
                section.card aria-labelledby={ "form-" (slug) } {
                    h2 id={ "form-" (slug) } { (latest.definition.title.ja) " " small { code { (slug) } } }
                    table {
                        thead { tr {
                            th scope="col" { "版" } th scope="col" { "作成日時" } th scope="col" { "作成者" }
                            th scope="col" { "使うイベント" } th scope="col" { "" }
                        } }
                        tbody {
                            @for version in versions {
                                tr {
                                    th scope="row" { "第" (version.version) "版" }
                                    td { (version.created_at.format("%Y-%m-%d %H:%M UTC")) }
                                    td { (version.created_by.as_deref().unwrap_or("同梱のファイル")) }
                                    td { (version.events) }
                                    td {
                                        a href={ "/api/v1/forms/" (slug) "/versions/" (version.version) ".xlsx" } { "Excel" }
                                        " · "
                                        a href={ "/dashboard/forms/" (slug) "/versions/" (version.version) "/preview" } { "プレビュー" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
