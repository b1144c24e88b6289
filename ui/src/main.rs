fn main() {
    yew::Renderer::<credence_ui::App>::new().render();
}
