"""The tool an analyst would reach for instead: pandas doing the researchers' aggregate's
closed-question tables over the same rows (COPY out, then per closed question its counts, and by
each of the four attributes a crosstab with chi-square, and mean/sd per group for scales and
numbers). Prints the seconds it took, end to end.

python aggregate_pandas.py DATABASE_URL FORM_SLUG
"""

import io
import json
import sys
import time

import pandas as pd
import psycopg
from scipy.stats import chi2_contingency

ATTRIBUTES = ["gender", "age_band", "occupation", "relation"]


def main(url: str, form: str) -> None:
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        definition = conn.execute(
            "SELECT definition FROM form_versions WHERE form_slug = %s ORDER BY version DESC LIMIT 1", (form,)
        ).fetchone()[0]
        if isinstance(definition, str):
            definition = json.loads(definition)
        questions = [q for q in definition["questions"] if q["type"] != "text"]
        columns = ", ".join(
            f"r.answers ->> '{q['id']}' AS \"{q['id']}\"" for q in questions if q["id"] not in ATTRIBUTES
        )
        copy = (
            "COPY (SELECT r.gender, r.age_band, r.occupation, r.relation, " + columns + " "
            "FROM responses r JOIN events e ON e.id = r.event_id "
            "JOIN form_versions f ON f.id = r.form_version_id "
            f"WHERE f.form_slug = '{form}' AND e.cancelled_at IS NULL) TO STDOUT WITH CSV HEADER"
        )
        buffer = io.BytesIO()
        with conn.cursor().copy(copy) as out:
            for block in out:
                buffer.write(block)
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=str, keep_default_na=False, na_values=[""])
    tables = 0
    for question in questions:
        qid = question["id"]
        column = frame[qid]
        if question["type"] == "multi_choice":
            column = column.dropna().map(json.loads).explode()
        numeric = question["type"] in ("scale", "number")
        values = pd.to_numeric(column, errors="coerce") if numeric else column
        values.value_counts()
        tables += 1
        for attribute in ATTRIBUTES:
            if attribute == qid:
                continue
            joined = pd.DataFrame({"a": frame.loc[values.index, attribute], "v": values}).dropna()
            table = pd.crosstab(joined["a"], joined["v"])
            if table.shape[0] > 1 and table.shape[1] > 1:
                chi2_contingency(table.to_numpy(), correction=False)
            if numeric:
                joined.groupby("a")["v"].agg(["mean", "std", "count"])
            tables += 1
    print(f"{time.perf_counter() - started:.3f} {tables}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
