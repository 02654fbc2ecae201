-- The warehouse calendar: one row per day from 2000-01-01 to 2050-12-31. Every fact's date_id is
-- one of these days; the API refuses dates outside it.
CREATE TABLE dim_date (
  date_id     DATE PRIMARY KEY,
  year        SMALLINT NOT NULL,
  quarter     SMALLINT NOT NULL,
  month       SMALLINT NOT NULL,
  day         SMALLINT NOT NULL,
  -- ISO day of the week: 1 = Monday … 7 = Sunday.
  day_of_week SMALLINT NOT NULL
);

INSERT INTO dim_date (date_id, year, quarter, month, day, day_of_week)
SELECT d::date,
       EXTRACT(YEAR FROM d)::smallint,
       EXTRACT(QUARTER FROM d)::smallint,
       EXTRACT(MONTH FROM d)::smallint,
       EXTRACT(DAY FROM d)::smallint,
       EXTRACT(ISODOW FROM d)::smallint
FROM generate_series(DATE '2000-01-01', DATE '2050-12-31', INTERVAL '1 day') AS d;
