"""The portal: the campaign in the browser for units, appraisers and Nội vụ (views only; every
write goes through a ``web.store`` service that checks the acting account)."""
