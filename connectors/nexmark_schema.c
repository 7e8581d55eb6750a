/* nexmark_schema.c: the Nexmark streams' columns (see nexmark_schema.h). */
#include "connectors/nexmark_schema.h"

#include <strings.h>

static const NexmarkColumn person[] = {
    {"id", TYPE_INT64},          {"name", TYPE_STRING}, {"email_address", TYPE_STRING},
    {"credit_card", TYPE_STRING}, {"city", TYPE_STRING}, {"state", TYPE_STRING},
    {"date_time", TYPE_TIMESTAMP}, {"extra", TYPE_STRING},
};

static const NexmarkColumn auction[] = {
    {"id", TYPE_INT64},           {"item_name", TYPE_STRING}, {"description", TYPE_STRING},
    {"initial_bid", TYPE_INT64},  {"reserve", TYPE_INT64},    {"date_time", TYPE_TIMESTAMP},
    {"expires", TYPE_TIMESTAMP},  {"seller", TYPE_INT64},     {"category", TYPE_INT64},
    {"extra", TYPE_STRING},
};

static const NexmarkColumn bid[] = {
    {"auction", TYPE_INT64}, {"bidder", TYPE_INT64}, {"price", TYPE_INT64},
    {"channel", TYPE_STRING}, {"url", TYPE_STRING},   {"date_time", TYPE_TIMESTAMP},
    {"extra", TYPE_STRING},
};

const NexmarkColumn *nexmark_schema(const char *event_type, int *n)
{
    if (strcasecmp(event_type, "person") == 0) {
        *n = (int)LM_ARRAY_LEN(person);
        return person;
    }
    if (strcasecmp(event_type, "auction") == 0) {
        *n = (int)LM_ARRAY_LEN(auction);
        return auction;
    }
    if (strcasecmp(event_type, "bid") == 0) {
        *n = (int)LM_ARRAY_LEN(bid);
        return bid;
    }
    *n = 0;
    return NULL;
}
