-- write.lua - durable writes: an inspector's finding (POST /api/v1/findings),
-- acknowledged (201) only after its group commit.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ZC_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"village":' .. os.getenv("ZC_VILLAGE") .. ',"text":"驻村工作队在岗，走访贫困户"}'
local non201 = 0
response = function(status, headers, body)
    if status ~= 201 then non201 = non201 + 1 end
end
done = function(summary, latency, requests)
    io.write(string.format("non-201 responses (this thread's count only if 1 thread): %d\n", non201))
end
