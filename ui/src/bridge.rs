//! The UI's only way to the native side: Tauri's `invoke`, typed with the credence-api structs, plus the
//! progress channel and the window events the UI listens to.

use credence_api::{ApiError, ErrorCode, GENERIC_ERROR};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;

    /// Tauri's IPC channel: the native side streams messages (import progress) into `onmessage`.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = Channel)]
    pub type Channel;

    #[wasm_bindgen(constructor, js_namespace = ["window", "__TAURI__", "core"], js_class = "Channel")]
    fn new_channel() -> Channel;

    #[wasm_bindgen(method, setter, js_name = onmessage)]
    fn set_onmessage(this: &Channel, handler: &js_sys::Function);
}

/// Calls a command with `args` (a struct whose fields are the command's argument names, snake_case like every shape).
pub async fn call<R: DeserializeOwned>(cmd: &str, args: &impl Serialize) -> Result<R, ApiError> {
    let args = to_js(args)?;
    decode(tauri_invoke(cmd, args).await)
}

/// Like `call`, with a progress channel passed as the argument `channel_arg`.
pub async fn call_with_channel<R: DeserializeOwned, P: DeserializeOwned + 'static>(
    cmd: &str,
    args: &impl Serialize,
    channel_arg: &str,
    mut on_message: impl FnMut(P) + 'static,
) -> Result<R, ApiError> {
    let args = to_js(args)?;
    let channel = Channel::new_channel();
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        if let Ok(message) = serde_wasm_bindgen::from_value(message) {
            on_message(message);
        }
    });
    channel.set_onmessage(handler.as_ref().unchecked_ref());
    js_sys::Reflect::set(&args, &JsValue::from_str(channel_arg), &channel).map_err(|_| generic())?;
    let result = decode(tauri_invoke(cmd, args).await);
    drop(handler);
    result
}

/// Runs `handler` with the payload of every `event` the native side emits, for the app's lifetime.
pub async fn listen<P: DeserializeOwned + 'static>(event: &str, mut handler: impl FnMut(P) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(payload) = serde_wasm_bindgen::from_value(payload) {
            handler(payload);
        }
    });
    if tauri_listen(event, &closure).await.is_ok() {
        closure.forget(); // lives as long as the window
    }
}

fn to_js(args: &impl Serialize) -> Result<JsValue, ApiError> {
    args.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| generic())
}

fn decode<R: DeserializeOwned>(reply: Result<JsValue, JsValue>) -> Result<R, ApiError> {
    match reply {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|_| generic()),
        Err(error) => Err(serde_wasm_bindgen::from_value::<ApiError>(error).unwrap_or_else(|_| generic())),
    }
}

fn generic() -> ApiError {
    ApiError::new(ErrorCode::Internal, GENERIC_ERROR)
}

/// Commands without arguments.
#[derive(Serialize, Clone, PartialEq, Debug)]
pub struct NoArgs {}
