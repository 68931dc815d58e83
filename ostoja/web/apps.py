from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ostoja.web"
    label = "web"
    verbose_name = "Interfejs"

    def ready(self) -> None:
        from ostoja.web import timeline

        timeline.register()
