from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "apps.operations"
    label = "operations"
    verbose_name = "Betrieb"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed
        from django.tasks.signals import task_finished

        from apps.operations import metrics, retry

        task_finished.connect(retry.on_task_finished, dispatch_uid="operations_retry")
        user_login_failed.connect(metrics.on_login_failed, dispatch_uid="operations_metrics")
