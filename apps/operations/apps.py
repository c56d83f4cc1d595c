from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "apps.operations"
    label = "operations"
    verbose_name = "Betrieb"

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from apps.operations import retry

        task_finished.connect(retry.on_task_finished, dispatch_uid="operations_retry")
