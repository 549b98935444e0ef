"""The database of bench_indicators.py: created, migrated and seeded with one province (25, Phú Thọ) at scale.

Rows go in with INSERT ... SELECT on the server (generate_series, a seeded random()); the big tables in chunks, with
their secondary indexes built after. Ids that later rows refer to are taken from the sequences first (nextval)."""
# ruff: noqa: S608  (the statements are constants of this file)

from __future__ import annotations

import time

import click
import psycopg
import sqlalchemy as sa

from registry.core.config import normalise_database_url

PROVINCE, KEY_CROPS, VN = "25", ("banana", "pomelo", "tea"), "'Asia/Ho_Chi_Minh'"  # Phú Thọ; VN quoted for SQL
ORGS, AREAS, MODELS, CERTIFICATES = 300, 10_000, 500, 150
LOTS, DIARY, SCANS, ALERTS = 1_000_000, 100_000, 10_000_000, 2_000
LOT_CHUNK, SCAN_CHUNK = 100_000, 500_000


def libpq_url(url: str) -> str:
    return sa.engine.make_url(normalise_database_url(url)).set(drivername="postgresql").render_as_string(False)


def _admin(url: str) -> tuple[psycopg.Connection, str]:
    name = sa.engine.make_url(normalise_database_url(url)).database
    if not url.startswith(("postgresql", "postgres:")) or not name:
        raise SystemExit(f"--database-url must name a PostgreSQL database, not {url}")
    return psycopg.connect(libpq_url(url), dbname="postgres", autocommit=True), name


def recreate_database(url: str) -> None:
    admin, name = _admin(url)
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and create database {name!r}: its name must contain 'bench'")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    admin, name = _admin(url)
    with admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


# Crops: code, Vietnamese name, share of organizations growing it as their main crop (cumulative), hectares.
CROPS = "(VALUES ('tea', 'chè', 0.40, 1, 20), ('pomelo', 'bưởi', 0.65, 1, 30), ('banana', 'chuối', 0.85, 0.5, 15), " \
    "('rice', 'lúa', 0.90, 2, 40), ('vegetables', 'rau', 0.95, 0.2, 5), ('longan', 'nhãn', 0.98, 1, 10), " \
    "('lychee', 'vải', 1.01, 1, 10)) AS c(code, vi, upto, lo, hi)"  # fmt: skip

SETUP = [
    "SELECT setseed(0.2026)",
    # No foreign key checks nor triggers, as in a restore: ids come from rows seeded here; lot_month is filled below.
    "SET session_replication_role = replica",
    "SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'",
    f"CREATE TEMP TABLE b_commune AS SELECT row_number() OVER (ORDER BY code)::int AS n, code, name FROM commune "
    f"WHERE province_code = '{PROVINCE}'",
    f"CREATE TEMP TABLE b_crop AS SELECT row_number() OVER (ORDER BY upto)::int AS n, * FROM {CROPS}",
]

ORGANIZATIONS = [
    # Most are cooperatives; a few were dissolved in 2025-2026. Each grows one main crop and one other.
    f"""CREATE TEMP TABLE b_org AS
    WITH s AS MATERIALIZED (SELECT g, random() rk, random() rc, random() rd, random() r1, random() r2, random() rt
                            FROM generate_series(1, {ORGS}) g)
    SELECT g AS n, nextval('organization_id_seq')::int AS id, rk < 0.85 AS coop, c.code AS commune_code, c.name AS
      commune_name, CASE WHEN rd < 0.04 THEN date '2025-01-15' + (rd * 25 * 650)::int END AS dissolved_on,
      (SELECT code FROM b_crop WHERE upto > r1 ORDER BY upto LIMIT 1) AS main_crop,
      (SELECT code FROM b_crop WHERE upto > r2 ORDER BY upto LIMIT 1) AS other_crop,
      timestamptz '2015-01-01' + rt * interval '3500 days' AS created_at
    FROM s JOIN b_commune c ON c.n = 1 + floor(s.rc * (SELECT count(*) FROM b_commune))::int""",
    """INSERT INTO organization (id, name, kind, tax_code, commune_code, address, dissolved_on, created_at)
    SELECT id, CASE WHEN coop THEN 'HTX Nông nghiệp ' ELSE 'Công ty TNHH Nông sản ' END || commune_name || ' ' || n,
      CASE WHEN coop THEN 'cooperative' ELSE 'enterprise' END, '26' || lpad(n::text, 8, '0'), commune_code,
      commune_name || ', Phú Thọ', dissolved_on, created_at FROM b_org""",
]

AREAS_SQL = [
    # History: applied; unless pending, active 10-60 days later; maybe suspended or revoked later, before now.
    f"""CREATE TEMP TABLE b_ga AS
    WITH s AS MATERIALIZED (
      SELECT g, random() ro, random() rs, random() rc, random() rm, random() rst, random() r0, random() r1,
             random() r2, random() rh, random() rk FROM generate_series(1, {AREAS}) g),
    t AS (SELECT s.*, o.id AS org_id, c.code AS commune_code,  -- the organization's commune, or one nearby
            CASE WHEN rm < 0.75 THEN o.main_crop ELSE o.other_crop END AS crop,
            CASE WHEN rst < 0.80 THEN 'active' WHEN rst < 0.88 THEN 'pending' WHEN rst < 0.94 THEN 'suspended'
                 ELSE 'revoked' END AS status
          FROM s JOIN b_org o ON o.n = 1 + floor(s.ro * {ORGS})::int
          JOIN b_commune oc ON oc.code = o.commune_code
          JOIN b_commune c ON c.n = 1 + (oc.n + 147 + CASE WHEN rs < 0.7 THEN 0 ELSE floor(rc * 7)::int - 3 END) % 148),
    a AS (SELECT t.*, CASE WHEN status = 'pending' THEN now() - r0 * interval '200 days'
                      ELSE timestamptz '2025-01-02 09:00+07' + r0 * (now() - interval '70 days' - timestamptz '2025-01-02 09:00+07')
                      END AS applied FROM t)
    SELECT a.*, nextval('growing_area_id_seq')::int AS id, applied + (10 + 50 * r1) * interval '1 day' AS activated,
      applied + (10 + 50 * r1) * interval '1 day'
        + r2 * (now() - applied - (10 + 50 * r1) * interval '1 day') AS stopped FROM a""",
    """INSERT INTO growing_area (id, code, name, kind, status, crop, area_ha, commune_code, organization_id,
      created_at, status_changed_at, household_count, planting_year, markets)
    SELECT a.id, CASE WHEN status <> 'pending' THEN 'VN-25-' || commune_code || '-'
      || lpad(row_number() OVER (PARTITION BY commune_code, status <> 'pending' ORDER BY g)::text, 4, '0') END,
      'Vùng ' || c.vi || ' ' || g, CASE WHEN rk < 0.92 THEN 'domestic' ELSE 'export' END, status, crop,
      round((c.lo + rh * (c.hi - c.lo))::numeric, 4), commune_code, org_id, applied,
      CASE status WHEN 'pending' THEN applied WHEN 'active' THEN activated ELSE stopped END,
      3 + (rh * 60)::int, 2000 + (rk * 24)::int, CASE WHEN rk < 0.92 THEN '[]' ELSE '["CN"]' END::json
    FROM b_ga a JOIN b_crop c ON c.code = a.crop""",
    """INSERT INTO status_change (growing_area_id, from_status, to_status, reason, at)
    SELECT * FROM (
      SELECT id, NULL, 'pending', NULL, applied FROM b_ga
      UNION ALL SELECT id, 'pending', 'active', NULL, activated FROM b_ga WHERE status <> 'pending'
      UNION ALL SELECT id, 'active', status, 'Kết quả giám sát: vi phạm quy định', stopped FROM b_ga
        WHERE status IN ('suspended', 'revoked')) h ORDER BY 5""",
]

PRODUCTS = [
    # One product for each crop an organization grows; the OCOP certificates go to 120 of them, 30 twice.
    """INSERT INTO product (name, crop, organization_id, brand, shelf_life_days, created_at)
    SELECT initcap(c.vi) || ' ' || o.commune_name || ' ' || o.n, p.crop, p.org_id, initcap(c.vi) || ' Phú Thọ',
      30 + o.n % 60, o.created_at FROM (SELECT DISTINCT org_id, crop FROM b_ga) p
    JOIN b_org o ON o.id = p.org_id JOIN b_crop c ON c.code = p.crop""",
    """CREATE TEMP TABLE b_ocop AS
    WITH pick AS (SELECT row_number() OVER ()::int AS n, id FROM (SELECT id FROM product ORDER BY random() LIMIT 120) x),
    s AS MATERIALIZED (SELECT g, random() rs, random() rt, random() rr FROM generate_series(1, 150) g)
    SELECT s.*, pick.id AS product_id, nextval('ocop_evaluation_id_seq')::int AS eval_id,
      CASE WHEN rs < 0.6 THEN 50 + (rs / 0.6 * 19)::int WHEN rs < 0.95 THEN 70 + ((rs - 0.6) / 0.35 * 19)::int
           ELSE 90 + ((rs - 0.95) / 0.05 * 10)::int END AS total,
      CASE WHEN g > 120 THEN date '2020-03-01' + (rt * 700)::int ELSE date '2022-06-01' + (rt * 1580)::int END AS issued
    FROM s JOIN pick ON pick.n = 1 + (s.g - 1) % 120""",
    """INSERT INTO ocop_evaluation (id, product_id, "group", subgroup, score_a, score_b, score_c, total, stars,
      council, evaluated_on, created_at)
    SELECT eval_id, product_id, '1', '1.1', ceil(total * 0.4), ceil(total * 0.25),
      total - ceil(total * 0.4) - ceil(total * 0.25), total, CASE WHEN total >= 90 THEN 5 WHEN total >= 70 THEN 4
      ELSE 3 END, 'Hội đồng OCOP tỉnh Phú Thọ', issued - 30, issued - 30 FROM b_ocop""",
    """INSERT INTO ocop_certificate (product_id, evaluation_id, stars, decision_number, level, issued_on, expires_on,
      revoked_on, revoke_reason, created_at)
    SELECT o.product_id, eval_id, e.stars, g || '/QĐ-UBND', CASE WHEN e.stars = 5 THEN 'ministry' ELSE 'province' END,
      issued, (issued + interval '36 months')::date, CASE WHEN rr < 0.05 THEN issued + 200 END,
      CASE WHEN rr < 0.05 THEN 'Không duy trì chất lượng' END, issued FROM b_ocop o JOIN ocop_evaluation e ON e.id = o.eval_id""",
]

LINKAGE = [
    # A model buys the lead organization's main crop (mostly a key crop), in 1-3 communes, from 2-20 of its areas.
    f"""CREATE TEMP TABLE b_model AS
    WITH s AS MATERIALIZED (SELECT g, random() ro, random() rs, random() re, random() rn, random() ra
                            FROM generate_series(1, {MODELS}) g)
    SELECT s.*, nextval('linkage_model_id_seq')::int AS id, o.id AS org_id, o.main_crop AS crop, o.commune_code,
      date '2024-10-01' + (rs * 760)::int AS started, 1 + (rn * 2.99)::int AS communes, 2 + (ra * 18.99)::int AS areas
    FROM s JOIN b_org o ON o.n = 1 + floor(s.ro * {ORGS})::int""",
    """INSERT INTO linkage_model (id, name, lead_organization_id, crop, partner_households, started_on, ended_on,
      created_at)
    SELECT m.id, 'Liên kết tiêu thụ ' || c.vi || ' ' || g, org_id, crop, 20 + (rn * 300)::int, started,
      CASE WHEN re < 0.3 THEN started + 180 + (re * 1800)::int END, started::timestamptz
    FROM b_model m JOIN b_crop c ON c.code = m.crop""",
    """INSERT INTO linkage_commune (model_id, commune_code)
    WITH s AS MATERIALIZED (SELECT m.id, m.commune_code, k, random() r FROM b_model m, generate_series(1, m.communes) k)
    SELECT s.id, c.code FROM s JOIN b_commune lc ON lc.code = s.commune_code JOIN b_commune c  -- itself, then nearby
      ON c.n = 1 + (lc.n - 1 + CASE WHEN k = 1 THEN 0 ELSE 1 + floor(s.r * 4)::int END) % 148 ON CONFLICT DO NOTHING""",
    "CREATE TEMP TABLE b_org_area AS SELECT org_id, crop, row_number() OVER (PARTITION BY org_id, crop ORDER BY id)::int"
    " AS n, count(*) OVER (PARTITION BY org_id, crop)::int AS total, id FROM b_ga",
    """INSERT INTO linkage_area (model_id, growing_area_id)
    WITH s AS MATERIALIZED (SELECT m.id, m.org_id, m.crop, random() r FROM b_model m, generate_series(1, m.areas) k)
    SELECT s.id, a.id FROM s JOIN b_org_area t ON t.org_id = s.org_id AND t.crop = s.crop AND t.n = 1
    JOIN b_org_area a ON a.org_id = s.org_id AND a.crop = s.crop AND a.n = 1 + floor(s.r * t.total)::int
    ON CONFLICT DO NOTHING""",
    f"""INSERT INTO linkage_partner (model_id, organization_id)
    WITH s AS MATERIALIZED (SELECT m.id, m.org_id, random() r FROM b_model m, generate_series(1, m.g % 3) k)
    SELECT s.id, o.id FROM s JOIN b_org o ON o.n = 1 + floor(s.r * {ORGS})::int WHERE o.id <> s.org_id
    ON CONFLICT DO NOTHING""",
]

LOT_AREAS = [
    # 70% of coded areas label harvests, with their product, from activation (2025 on) until stopped, or today.
    f"""CREATE TEMP TABLE b_area AS SELECT row_number() OVER (ORDER BY id)::int AS n, * FROM (
      SELECT a.id, a.org_id, p.id AS product_id, greatest(date '2025-01-01', (a.activated AT TIME ZONE {VN})::date) AS
        d0, CASE WHEN a.status = 'active' THEN current_date ELSE (a.stopped AT TIME ZONE {VN})::date END AS d1
      FROM b_ga a JOIN product p ON p.organization_id = a.org_id AND p.crop = a.crop
      WHERE a.status <> 'pending' AND a.rk < 0.7) x WHERE d1 >= d0""",
    "CREATE INDEX ON b_area (n); ANALYZE b_area",
]

LOT_INSERT = f"""INSERT INTO lot (code, code_key, product_id, growing_area_id, origin, organization_id, harvest_date,
      quantity, unit, public_token, created_at, voided_at, void_reason)
    WITH s AS MATERIALIZED (SELECT g, 1 + floor(random() * (SELECT count(*) FROM b_area))::int AS pick,
                            random() rd, random() rq, random() rv FROM generate_series(%(lo)s::int, %(hi)s::int) g),
    x AS (SELECT s.*, a.*, a.d0 + floor(rd * (a.d1 - a.d0 + 1))::int AS hd FROM s JOIN b_area a ON a.n = s.pick)
    SELECT 'L' || to_char(hd, 'YYMMDD') || '-' || g, 'L' || to_char(hd, 'YYMMDD') || '-' || g, product_id, id,
      'harvest', org_id, hd, round((20 + rq * 980)::numeric, 3), 'KGM',
      left(md5(g::text || 'lot'), 14) || lpad(to_hex(g), 8, '0'),
      least(now(), (hd + interval '17 hours') AT TIME ZONE {VN}),
      CASE WHEN rv < 0.03 THEN least(now(), (hd + interval '2 days') AT TIME ZONE {VN}) END,
      CASE WHEN rv < 0.03 THEN 'Nhãn in sai' END FROM x"""

DIARY_SQL = f"""INSERT INTO diary_entry (growing_area_id, kind, done_on, performed_by, input_name, active_ingredient,
      dose, phi_days, created_at)
    WITH keep AS (SELECT row_number() OVER (ORDER BY id)::int AS n, id, d0, d1 FROM (
        SELECT id, greatest(date '2025-01-01', (activated AT TIME ZONE {VN})::date) AS d0, CASE WHEN status = 'active'
          THEN current_date ELSE (stopped AT TIME ZONE {VN})::date END AS d1 FROM b_ga
        WHERE status <> 'pending' AND id % 5 < 2) k WHERE d1 >= d0),
    s AS MATERIALIZED (SELECT g, random() ra, random() rd, random() rk FROM generate_series(1, {DIARY}) g),
    x AS (SELECT s.*, k.id, k.d0 + floor(rd * (k.d1 - k.d0 + 1))::int AS day FROM s
          JOIN keep k ON k.n = 1 + floor(ra * (SELECT count(*) FROM keep))::int)
    SELECT id, CASE WHEN rk < 0.6 THEN 'fertilize' ELSE 'spray' END, day, 'Tổ sản xuất số ' || (g % 9 + 1),
      CASE WHEN rk < 0.6 THEN 'NPK 16-16-8' ELSE 'Abamectin 3.6EC' END, CASE WHEN rk >= 0.6 THEN 'Abamectin' END,
      CASE WHEN rk < 0.6 THEN '20 kg/sào' ELSE '10 ml/bình 16 lít' END, CASE WHEN rk >= 0.6 THEN 7 + (rk * 10)::int END,
      least(now(), (day + interval '18 hours') AT TIME ZONE {VN}) FROM x"""

# A scan: a lot (popular ones more often), weeks after its harvest (mostly the first days), one of 1,000 places.
SCAN_INSERT = f"""INSERT INTO scan (scanned_at, link, lot_id, product_id, organization_id, province_code, lang,
      device, place)
    WITH s AS MATERIALIZED (SELECT (SELECT min(id) FROM lot) + floor(power(random(), 1.6)
        * (SELECT max(id) - min(id) + 1 FROM lot))::int AS lot_id, random() rt, random() rl, random() rd
      FROM generate_series(1, %(n)s::int)),
    x AS (SELECT s.*, l.product_id, l.organization_id, (l.harvest_date + interval '8 hours') AT TIME ZONE {VN} AS t0
          FROM s JOIN lot l ON l.id = s.lot_id)
    SELECT t0 + power(rt, 2) * greatest(interval '0', least(interval '45 days', now() - t0)),
      CASE WHEN rl < 0.92 THEN 'dl' ELSE 'short' END, lot_id, product_id, organization_id, '{PROVINCE}',
      CASE WHEN rl < 0.95 THEN 'vi' ELSE 'en' END, CASE WHEN rd < 0.90 THEN 'mobile' WHEN rd < 0.95 THEN 'tablet'
      WHEN rd < 0.98 THEN 'desktop' ELSE 'bot' END, to_hex(((rd * 1000)::int + 1) * 179424673::bigint) FROM x"""

ROLLUPS = [
    # As the recorder keeps them: people only (no bots), by Vietnam day, then by Vietnam month.
    f"""INSERT INTO scan_day (day, product_id, lot_id, organization_id, province_code, scans)
    SELECT (scanned_at AT TIME ZONE {VN})::date, product_id, coalesce(lot_id, 0), organization_id, province_code,
      count(*) FROM scan WHERE device <> 'bot' GROUP BY 1, 2, 3, 4, 5""",
    # As migration 0008 fills lot_month from existing lots; its triggers, which keep it up to date, are off here.
    """INSERT INTO lot_month (month, area_key, organization_id, lots) SELECT date_trunc('month', harvest_date)::date,
      coalesce(growing_area_id, 0), organization_id, count(*) FROM lot WHERE voided_at IS NULL GROUP BY 1, 2, 3""",
    """INSERT INTO scan_month (month, organization_id, province_code, scans)
    SELECT date_trunc('month', day)::date, organization_id, coalesce(province_code, ''), sum(scans) FROM scan_day
    GROUP BY 1, 2, 3""",
    f"""INSERT INTO scan_alert (kind, lot_id, product_id, organization_id, province_code, window_key, window_start,
      scans, places, threshold, detected_at)
    WITH s AS MATERIALIZED (SELECT g, (SELECT min(id) FROM lot) + floor(power(random(), 3)
      * (SELECT count(*) FROM lot))::int AS lot_id, random() rk, random() rt FROM generate_series(1, {ALERTS}) g)
    SELECT CASE WHEN rk < 0.5 THEN 'burst' WHEN rk < 0.8 THEN 'over_units' ELSE 'many_places' END, l.id,
      l.product_id, l.organization_id, '{PROVINCE}', 'w' || g, x.t, CASE WHEN rk < 0.5 THEN 100 + g % 50 ELSE 30 END,
      CASE WHEN rk >= 0.8 THEN 20 + g % 10 END, CASE WHEN rk < 0.5 THEN 100 ELSE 20 END,
      least(now(), x.t + interval '10 minutes')
    FROM s JOIN lot l ON l.id = s.lot_id, LATERAL (SELECT (l.harvest_date + interval '9 hours') AT TIME ZONE {VN}
      + rt * greatest(interval '0', least(interval '20 days', now() - (l.harvest_date + interval '9 hours')
      AT TIME ZONE {VN})) AS t) x""",
]

KEYS_AND_DISTRICTS = [
    f"INSERT INTO key_crop (province_code, crop, set_at) SELECT '{PROVINCE}', c, now() "
    f"FROM unnest(ARRAY{list(KEY_CROPS)}) c",
    # Synthetic pre-2025 districts: 26 over the 148 communes, one commune in ten also in the next district.
    f"""INSERT INTO legacy_district (code, name, province_code)
    SELECT (226 + k)::text, 'Huyện cũ ' || k, '{PROVINCE}' FROM generate_series(1, 26) k""",
    """INSERT INTO legacy_district_commune (district_code, commune_code)
    WITH d AS (SELECT n, code, 1 + (n - 1) * 26 / (SELECT count(*) FROM b_commune) AS k FROM b_commune)
    SELECT (226 + k)::text, code FROM d UNION SELECT (227 + k)::text, code FROM d WHERE n % 10 = 0 AND k < 26""",
]


def _run(cur: psycopg.Cursor, label: str, statements: list[str], total: int = 0, size: int = 1) -> None:
    """Run the statements; with a total, run the one statement chunk after chunk (rows lo..hi, n of them)."""
    started = time.perf_counter()
    if not total:
        for sql in statements:
            cur.execute(sql)
    else:
        with click.progressbar(range(0, total, size), label=label, show_pos=True) as bar:
            for lo in bar:
                cur.execute(statements[0], {"lo": lo + 1, "hi": min(lo + size, total), "n": min(size, total - lo)})
    click.echo(f"{label}: {time.perf_counter() - started:.1f} s")


INDEXES = """SELECT coalesce('ALTER TABLE {t} ADD CONSTRAINT ' || c.conname || ' ' || pg_get_constraintdef(c.oid),
      pg_get_indexdef(i.indexrelid)), coalesce('ALTER TABLE {t} DROP CONSTRAINT ' || c.conname, 'DROP INDEX ' || i.indexrelid::regclass::text)
    FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u'
    WHERE i.indrelid = '{t}'::regclass AND NOT i.indisprimary"""


def _bulk(cur: psycopg.Cursor, table: str, label: str, *args) -> None:
    """_run with the table's secondary indexes and unique constraints dropped, then built again as they were."""
    indexes = cur.execute(INDEXES.format(t=table)).fetchall()
    _run(cur, f"{table}: indexes dropped for the load", [drop for _, drop in indexes])
    _run(cur, label, *args)
    _run(cur, f"{table}: indexes built again", [create for create, _ in indexes] + [f"ANALYZE {table}"])


def seed(url: str) -> float:
    """Seed province 25 into a migrated database with its units loaded; returns the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(libpq_url(url), autocommit=True) as conn, conn.cursor() as cur:
        _run(cur, f"{ORGS} organizations", SETUP + ORGANIZATIONS)
        _run(cur, f"{AREAS:,} growing areas and their status history", AREAS_SQL)
        _run(cur, f"products and {CERTIFICATES} OCOP certificates", PRODUCTS)
        _run(cur, f"{MODELS} linkage models; the areas that label lots", LINKAGE + LOT_AREAS)
        _bulk(cur, "lot", f"{LOTS:,} lots", [LOT_INSERT], LOTS, LOT_CHUNK)
        _run(cur, f"{DIARY:,} diary entries", [DIARY_SQL])
        _bulk(cur, "scan", f"{SCANS:,} scans", [SCAN_INSERT], SCANS, SCAN_CHUNK)
        _bulk(cur, "scan_day", "scan_day", ROLLUPS[:1])
        _run(cur, "lot_month, scan_month and scan alerts", ROLLUPS[1:])
        _run(cur, "key crops, pre-2025 districts, VACUUM ANALYZE", KEYS_AND_DISTRICTS + ["VACUUM ANALYZE"])
    return time.perf_counter() - started
