"""The nominations API (``/api/v1/nominations/``) for the regional offices' systems and the
Secretariat: the same services, rules and region scoping as the portal."""
