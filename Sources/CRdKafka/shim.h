#ifndef GOVERNOR_CRDKAFKA_SHIM_H
#define GOVERNOR_CRDKAFKA_SHIM_H

// rdkafka.h must come before rdkafka_mock.h.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#endif
