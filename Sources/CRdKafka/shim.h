#ifndef GOVERNOR_CRDKAFKA_SHIM_H
#define GOVERNOR_CRDKAFKA_SHIM_H

// rdkafka.h must come before rdkafka_mock.h.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// Swift cannot call the variadic rd_kafka_mock_broker_push_request_error_rtts:
/// this pushes one (error, RTT) pair; call it once per pair, in order.
static inline rd_kafka_resp_err_t
governor_mock_broker_push_request_error_rtt(rd_kafka_mock_cluster_t *mcluster,
                                            int32_t broker_id,
                                            int16_t api_key,
                                            rd_kafka_resp_err_t err,
                                            int rtt_ms) {
        return rd_kafka_mock_broker_push_request_error_rtts(
            mcluster, broker_id, api_key, 1, err, rtt_ms);
}

#endif
