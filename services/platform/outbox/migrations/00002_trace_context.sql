-- +goose Up
-- The W3C trace context (traceparent, tracestate) of the transaction that wrote the event,
-- NULL outside a trace: the relay publishes it as message headers beside Nats-Msg-Id, so that
-- the consumer's transaction joins the trace of the request that caused the event. Nullable
-- without a default: adding them rewrites nothing, and rows written by a replica that does not
-- know them yet simply carry no trace.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;

-- +goose Down
ALTER TABLE outbox DROP COLUMN traceparent, DROP COLUMN tracestate;
