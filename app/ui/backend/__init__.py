"""Qt-free adapters from the desk's store and services to ``DeskFacade``."""
