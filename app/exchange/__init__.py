"""The desk's link to the exchange: outbox, REST and drop-folder transports,
verified inbound documents, and the reference exchange simulator (``sim``)."""
