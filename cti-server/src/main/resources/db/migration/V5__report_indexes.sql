-- Reports (report/, storage/JdbcReportSource): an agent's last state change before a report's range is
-- found by (tenant_id, agent_id, occurred_at) without scanning the tenant's whole history; the daily
-- retention job (storage/Retention) deletes by occurred_at (queue_event_occurred_at, V1) and by
-- ended_at here. Runs unchanged on PostgreSQL and on H2 in MODE=PostgreSQL.
CREATE INDEX queue_event_tenant_agent_occurred_at ON queue_event (tenant_id, agent_id, occurred_at);
CREATE INDEX call_history_ended_at ON call_history (ended_at);
