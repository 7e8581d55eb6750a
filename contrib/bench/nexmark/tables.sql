-- Nexmark source tables: the three streams of one generator sequence (same seed and
-- max_events, so ids line up across them).  Columns come from the connector (nexmark_schema.c).
-- Event time: date_time with a 4 second watermark delay, as Flink's nexmark DDL.
-- run.sh substitutes @MAX_EVENTS@ and @SEED@.
CREATE SOURCE TABLE person WITH (connector = 'nexmark', event_type = 'person',
    max_events = @MAX_EVENTS@, seed = @SEED@,
    event_time_field = 'date_time', watermark_delay = '4 seconds');
CREATE SOURCE TABLE auction WITH (connector = 'nexmark', event_type = 'auction',
    max_events = @MAX_EVENTS@, seed = @SEED@,
    event_time_field = 'date_time', watermark_delay = '4 seconds');
CREATE SOURCE TABLE bid WITH (connector = 'nexmark', event_type = 'bid',
    max_events = @MAX_EVENTS@, seed = @SEED@,
    event_time_field = 'date_time', watermark_delay = '4 seconds');
-- q12 (processing-time windows): the bid stream without event time.
CREATE SOURCE TABLE bid_proctime WITH (connector = 'nexmark', event_type = 'bid',
    max_events = @MAX_EVENTS@, seed = @SEED@);
