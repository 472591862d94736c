"""The demo's assets: placeholder, filled in below."""


def assets_demo_load(**kwargs) -> None:
    return None
