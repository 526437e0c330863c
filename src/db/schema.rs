// Mirrors migrations/; kept by hand so that the build needs no running database.

diesel::table! {
    forms (slug) {
        slug -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    form_versions (id) {
        id -> Uuid,
        form_slug -> Text,
        version -> Int4,
        content_hash -> Text,
        definition -> Jsonb,
        created_at -> Timestamptz,
        created_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    events (id) {
        id -> Uuid,
        code -> Text,
        kind -> Text,
        title -> Text,
        theme -> Nullable<Text>,
        venue -> Nullable<Text>,
        held_on -> Date,
        form_version_id -> Uuid,
        headcount -> Nullable<Int4>,
        closes_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        series_id -> Nullable<Uuid>,
        cancelled_at -> Nullable<Timestamptz>,
        title_en -> Nullable<Text>,
        venue_en -> Nullable<Text>,
        demo -> Bool,
        format -> Nullable<Text>,
        speakers -> Nullable<Jsonb>,
        costs -> Nullable<Jsonb>,
        notes -> Nullable<Text>,
        cancellation_reason -> Nullable<Text>,
    }
}

diesel::table! {
    event_series (id) {
        id -> Uuid,
        rrule -> Text,
        starts_on -> Date,
        ends_on -> Date,
        skipped_dates -> Array<Date>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    indicator_plans (slug) {
        slug -> Text,
        definition -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        demo -> Bool,
    }
}

diesel::table! {
    responses (id) {
        id -> Uuid,
        submission_id -> Uuid,
        event_id -> Uuid,
        form_version_id -> Uuid,
        answers -> Jsonb,
        gender -> Nullable<Text>,
        age_band -> Nullable<Text>,
        occupation -> Nullable<Text>,
        relation -> Nullable<Text>,
        submitted_at -> Timestamptz,
        source -> Text,
        entered_by -> Nullable<Uuid>,
        seq -> Int8,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        name -> Text,
        role -> Text,
        token_hash -> Text,
        created_at -> Timestamptz,
        last_used_on -> Nullable<Date>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    dashboard_sessions (id_hash) {
        id_hash -> Text,
        token_id -> Uuid,
        csrf_token -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    released_partitions (form_slug, fiscal_year, kind) {
        form_slug -> Text,
        fiscal_year -> Int4,
        kind -> Text,
        released_at -> Timestamptz,
        through_seq -> Int8,
    }
}

diesel::joinable!(form_versions -> forms (form_slug));
diesel::joinable!(form_versions -> api_tokens (created_by));
diesel::joinable!(dashboard_sessions -> api_tokens (token_id));
diesel::joinable!(events -> form_versions (form_version_id));
diesel::joinable!(events -> event_series (series_id));
diesel::joinable!(responses -> events (event_id));
diesel::joinable!(responses -> form_versions (form_version_id));

diesel::table! {
    agencies (slug) {
        slug -> Text,
        name_ja -> Text,
        name_en -> Nullable<Text>,
        kind -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        demo -> Bool,
    }
}

diesel::table! {
    publicity (id) {
        id -> Uuid,
        event_id -> Uuid,
        channel -> Text,
        agency_slug -> Nullable<Text>,
        sent_on -> Date,
        quantity -> Nullable<Int4>,
        cost -> Nullable<Int8>,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    event_notes (id) {
        id -> Uuid,
        event_id -> Uuid,
        text -> Text,
        speaker_role -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    codebooks (slug) {
        slug -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    codebook_versions (id) {
        id -> Uuid,
        codebook_slug -> Text,
        version -> Int4,
        content_hash -> Text,
        definition -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    codings (id) {
        id -> Uuid,
        codebook_slug -> Text,
        codebook_version_id -> Uuid,
        coder_token_id -> Uuid,
        response_id -> Nullable<Uuid>,
        question -> Nullable<Text>,
        note_id -> Nullable<Uuid>,
        themes -> Array<Text>,
        quote -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        by_rule -> Bool,
    }
}

diesel::table! {
    plan_considerations (plan_slug, fiscal_year) {
        plan_slug -> Text,
        fiscal_year -> Int4,
        text -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    programme_profile (singleton) {
        singleton -> Bool,
        definition -> Jsonb,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    text_dictionary (singleton) {
        singleton -> Bool,
        definition -> Jsonb,
        version -> Int8,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(plan_considerations -> indicator_plans (plan_slug));
diesel::joinable!(codebook_versions -> codebooks (codebook_slug));
diesel::joinable!(codings -> codebook_versions (codebook_version_id));
diesel::joinable!(event_notes -> events (event_id));
diesel::joinable!(publicity -> events (event_id));
diesel::joinable!(publicity -> agencies (agency_slug));

diesel::allow_tables_to_appear_in_same_query!(
    forms,
    form_versions,
    events,
    event_series,
    responses,
    api_tokens,
    indicator_plans,
    dashboard_sessions,
    released_partitions,
    agencies,
    publicity,
    event_notes,
    codebooks,
    codebook_versions,
    codings,
    plan_considerations,
    programme_profile,
    text_dictionary
);
