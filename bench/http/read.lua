-- read.lua - authenticated GET of one village record (token from $ZC_TOKEN).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ZC_TOKEN")
