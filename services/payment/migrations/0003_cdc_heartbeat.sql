-- The CDC heartbeat joins this database's publication (services/runtime/migrations/0004_cdc_heartbeat.sql):
-- the connector confirms its slot's position even while nothing else here changes.
SELECT publish_cdc_heartbeat('dbz_payment');
