"""Database router: dashboard and export reads go to the read replica when one is configured."""

REPLICA_APPS = {"transparency"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if model._meta.app_label in REPLICA_APPS else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
